import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Response } from 'express';
import { PaymentFilesService } from '@ps/allocation';
import { PaymentFileQuery } from '@ps/payments';
import { Access } from '../auth/access.decorator';
import { paymentFileXml } from '../documents/payment-file';
import { sendXml } from '../documents/send-file';
import { byField, formRefusal, validInput } from './forms';
import { ParseIdPipe } from './parse-id.pipe';

const field = (number: number) => `uitvoeringsdatum-${number}`;

/** The page of a run's SEPA payment files: one per released payment list, with its requested execution date. */
@ApiExcludeController()
@Controller()
export class PaymentFilesWebController {
  constructor(private readonly files: PaymentFilesService) {}

  @Get('verdelingen/:id/betaalbestanden')
  @Access({ permission: 'payments:read' })
  async page(@Param('id', ParseIdPipe) id: number, @Res() res: Response) {
    res.render('payment-files', await this.view(id));
  }

  /** The form's GET: the file, or the page again with the refusal next to the list's date field. */
  @Get('verdelingen/:id/betaalbestanden/:number')
  @Access({ permission: 'payments:read' })
  async file(
    @Param('id', ParseIdPipe) id: number,
    @Param('number', ParseIdPipe) number: number,
    @Query('uitvoeringsdatum') date: unknown,
    @Res() res: Response,
  ) {
    try {
      const { executionDate } = validInput(PaymentFileQuery, { executionDate: date === '' ? undefined : date });
      sendXml(res, paymentFileXml(await this.files.file(id, number, executionDate, field(number))));
    } catch (error) {
      const refused = formRefusal(error, field(number));
      const errors = refused.errors.map((e) => ({ ...e, field: e.field === 'executionDate' ? field(number) : e.field }));
      res.status(refused.status).render('payment-files', { ...(await this.view(id, byField(errors), { number, date: String(date ?? '') })), errors });
    }
  }

  /** The page; after a refusal, each list's error next to its date field and the date as typed. */
  private async view(id: number, errors: Record<string, string> = {}, submitted?: { number: number; date: string }) {
    const files = await this.files.lists(id);
    return {
      title: `Betaalbestanden van verdeling ${files.run.id}, projectjaar ${files.run.callYear}`,
      page: 'allocation',
      ...files,
      lists: files.lists.map((list) => ({
        ...list,
        field: field(list.number),
        error: errors[field(list.number)],
        executionDate: submitted?.number === list.number ? submitted.date : files.defaultExecutionDate,
      })),
    };
  }
}
