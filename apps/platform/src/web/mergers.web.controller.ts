import { Controller, Get, Post, Req, Res, UploadedFile } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Request, Response } from 'express';
import { FieldErrors, formatDate } from '@ps/kernel';
import { ImportRejected, OrganisationsService } from '@ps/organisations';
import { Access } from '../auth/access.decorator';
import { CsrfCheckedUpload } from '../auth/csrf';
import { FieldError, formRefusal } from './forms';
import { redirectWithNotice } from './notice';
import { translate } from './i18n';

const MAX_MERGER_TABLE_BYTES = 1024 * 1024;

/** ABB's page for the municipal mergers (docs/calls.md, municipal mergers): the mergers known, and the upload of a later merger table. */
@ApiExcludeController()
@Controller('beheer/fusies')
export class MergersWebController {
  constructor(private readonly organisations: OrganisationsService) {}

  @Get()
  @Access({ permission: 'calls:manage' })
  async page(@Res() res: Response) {
    res.render('mergers', await this.view());
  }

  @Post()
  @Access({ permission: 'calls:manage' })
  @CsrfCheckedUpload('bestand', { limits: { fileSize: MAX_MERGER_TABLE_BYTES + 1, files: 1 } })
  async upload(@UploadedFile() file: { buffer: Buffer; size: number } | undefined, @Req() req: Request, @Res() res: Response) {
    try {
      if (!file || file.size === 0) throw new FieldErrors({ bestand: [translate('mergers.noFile')] });
      if (file.size > MAX_MERGER_TABLE_BYTES) throw new FieldErrors({ bestand: [translate('mergers.tooLarge')] });
      const { successors } = await this.organisations.importMergers(file.buffer, { actor: req.actor! });
      await redirectWithNotice(req, res, '/beheer/fusies', translate('mergers.imported', { count: successors.length }));
    } catch (error) {
      // Every refused line of the table, each under the file field.
      const refused = error instanceof ImportRejected ? null : formRefusal(error, 'bestand');
      const errors: FieldError[] = refused
        ? refused.errors
        : (error as ImportRejected).problems.map((problem) => ({ field: 'bestand', message: translate('mergers.line', { ...problem }) }));
      res.status(refused?.status ?? 422).render('mergers', { ...(await this.view()), errors, fieldErrors: { bestand: errors[0]?.message } });
    }
  }

  private async view() {
    const mergers = await this.organisations.mergers();
    return { title: translate('mergers.title'), page: 'admin', mergers: mergers.map((m) => ({ ...m, from: formatDate(m.validFrom) })) };
  }
}
