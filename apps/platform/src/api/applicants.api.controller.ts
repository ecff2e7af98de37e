import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query, Res, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiTags } from '@nestjs/swagger';
import { Response } from 'express';
import {
  ApplicantRegistrationService,
  ApplicantsPageQuery,
  ApplicantVersionDto,
  ContactDto,
  ContactPayoutService,
  CoveragePageQuery,
  DocumentsService,
  MAX_LETTER_BYTES,
  MemberChangeDto,
  PartnerDto,
  PartnerLinkDto,
  PartnersService,
  RegisterApplicantDto,
  UploadedFile as Upload,
  VersionQuery,
} from '@ps/applicants';
import { CatalogueService } from '@ps/catalogue';
import { Actor, asSeenBy, scopeOf } from '@ps/identity';
import { NotFound } from '@ps/kernel';
import { Access } from '../auth/access.decorator';
import { ownScope } from '../auth/own-scope';
import { CurrentActor } from './actor.decorator';
import { IdParams, LinkParams, MemberParams } from './params';
import { sendPdf } from '../documents/send-file';

const tenant = { kind: 'applicant' as const, param: 'id' };

@ApiTags('applicants')
@ApiBearerAuth()
@Controller('api/v1')
export class ApplicantsApiController {
  constructor(
    private readonly applicants: ApplicantRegistrationService,
    private readonly contactPayout: ContactPayoutService,
    private readonly documents: DocumentsService,
    private readonly partners: PartnersService,
    private readonly catalogue: CatalogueService,
  ) {}

  /** The applicants of a call, a page at a time: `{ items, page, pageSize, total, pages }`. */
  @Get('applicants')
  @Access({ permission: 'applicants:read', scopedByHandler: true })
  async list(@CurrentActor() actor: Actor, @Query() { year, page, pageSize }: ApplicantsPageQuery) {
    const call = year ? await this.catalogue.getCallByYear(year) : await this.catalogue.latestCall();
    return this.applicants.pageForCall(call?.id ?? null, ownScope(actor, 'applicants:read'), { page, pageSize });
  }

  @Post('applicants')
  @HttpCode(201)
  @Access({ permission: 'applicants:register', scopedByHandler: true })
  register(@CurrentActor() actor: Actor, @Body() body: RegisterApplicantDto) {
    return this.applicants.register(actor, body, scopeOf(actor.role, 'applicants:register') === 'own');
  }

  /** Without audit:read-personal the contact person and payout accounts are null (docs/security.md, "Personal data"). */
  @Get('applicants/:id')
  @Access({ permission: 'applicants:read', tenant })
  async get(@CurrentActor() actor: Actor, @Param() { id }: IdParams) {
    const applicant = await this.applicants.get(id);
    if (!applicant) throw new NotFound();
    return asSeenBy(actor.role, applicant);
  }

  @Post('applicants/:id/members')
  @HttpCode(200)
  @Access({ permission: 'applicants:edit', tenant })
  addMember(@CurrentActor() actor: Actor, @Param() { id }: IdParams, @Body() body: MemberChangeDto) {
    return this.applicants.addMember(actor, id, body.localGovernmentId, body.version);
  }

  @Delete('applicants/:id/members/:localGovernmentId')
  @Access({ permission: 'applicants:edit', tenant })
  removeMember(@CurrentActor() actor: Actor, @Param() { id, localGovernmentId }: MemberParams, @Query() { version }: VersionQuery) {
    return this.applicants.removeMember(actor, id, localGovernmentId, version);
  }

  @Get('invitations')
  @Access({ permission: 'applicants:read', scopedByHandler: true })
  invitations(@CurrentActor() actor: Actor) {
    return this.applicants.invitations(ownScope(actor, 'applicants:read'));
  }

  /** Only an officer of the invited local government (or ABB) answers an invitation; for anyone else it does not exist (404). */
  @Post('applicants/:id/invitations/:localGovernmentId/accept')
  @HttpCode(200)
  @Access({ permission: 'applicants:edit', scopedByHandler: true })
  accept(@CurrentActor() actor: Actor, @Param() { id, localGovernmentId }: MemberParams) {
    return this.applicants.acceptInvitation(actor, id, localGovernmentId);
  }

  @Post('applicants/:id/invitations/:localGovernmentId/decline')
  @HttpCode(200)
  @Access({ permission: 'applicants:edit', scopedByHandler: true })
  async decline(@CurrentActor() actor: Actor, @Param() { id, localGovernmentId }: MemberParams) {
    await this.applicants.declineInvitation(actor, id, localGovernmentId);
    return { declined: true };
  }

  /** ABB confirms a payout account changed after approval (its new letter uploaded); payments use only the confirmed account. */
  @Post('applicants/:id/payout-account/confirm')
  @HttpCode(200)
  @Access({ permission: 'applications:review', tenant })
  confirmPayoutAccount(@CurrentActor() actor: Actor, @Param() { id }: IdParams, @Body() { version }: ApplicantVersionDto) {
    return this.contactPayout.confirmPayoutChange(actor, id, version);
  }

  @Put('applicants/:id/contact')
  @Access({ permission: 'applicants:edit', tenant })
  contact(@CurrentActor() actor: Actor, @Param() { id }: IdParams, @Body() body: ContactDto) {
    return this.contactPayout.updateContact(actor, id, body);
  }

  @Post('applicants/:id/iban-letter')
  @HttpCode(201)
  @Access({ permission: 'applicants:edit', tenant })
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', properties: { letter: { type: 'string', format: 'binary' } } } })
  @UseInterceptors(FileInterceptor('letter', { limits: { fileSize: MAX_LETTER_BYTES + 1, files: 1 } }))
  uploadLetter(@CurrentActor() actor: Actor, @Param() { id }: IdParams, @UploadedFile() file: Upload | undefined) {
    return this.documents.uploadIbanLetter(actor, id, file);
  }

  /** The signed letter names the account and its holder: personal data, so it needs audit:read-personal (403 without). */
  @Get('applicants/:id/iban-letter')
  @Access({ permission: 'audit:read-personal', tenant })
  async downloadLetter(@Param() { id }: IdParams, @Res() res: Response) {
    sendPdf(res, await this.documents.latestIbanLetterFile(id));
  }

  @Get('applicants/:id/partners')
  @Access({ permission: 'applicants:read', tenant })
  async partnersOf(@CurrentActor() actor: Actor, @Param() { id }: IdParams) {
    return asSeenBy(actor.role, await this.partners.linksOf(id));
  }

  @Post('applicants/:id/partners')
  @HttpCode(201)
  @Access({ permission: 'applicants:edit', tenant })
  async addPartner(@CurrentActor() actor: Actor, @Param() { id }: IdParams, @Body() body: PartnerDto) {
    return this.partners.addOwnPartner(actor, id, await this.owners(id), body);
  }

  @Post('applicants/:id/partner-links')
  @HttpCode(201)
  @Access({ permission: 'applicants:edit', tenant })
  async link(@CurrentActor() actor: Actor, @Param() { id }: IdParams, @Body() body: PartnerLinkDto) {
    await this.partners.link(actor, id, await this.owners(id), body.partnerId, body.actionNumber);
    return this.partners.linksOf(id);
  }

  @Delete('applicants/:id/partner-links/:partnerId/:actionNumber')
  @Access({ permission: 'applicants:edit', tenant })
  async unlink(@CurrentActor() actor: Actor, @Param() { id, partnerId, actionNumber }: LinkParams) {
    await this.partners.unlink(actor, id, await this.owners(id), partnerId, actionNumber);
    return this.partners.linksOf(id);
  }

  @Get('partners')
  @Access({ permission: 'applicants:read' })
  async assortment(@CurrentActor() actor: Actor) {
    return asSeenBy(actor.role, await this.partners.assortment());
  }

  @Post('partners')
  @HttpCode(201)
  @Access({ permission: 'partners:manage' })
  createPartner(@CurrentActor() actor: Actor, @Body() body: PartnerDto) {
    return this.partners.createAssortmentPartner(actor, body);
  }

  /** The coverage overview, a page at a time in NIS-code order: `{ call, items, page, pageSize, total, pages, counts }`. */
  @Get('eligibility')
  @Access({ permission: 'eligibility:read' })
  coverage(@Query() query: CoveragePageQuery) {
    const { page, pageSize } = query;
    return this.applicants.coveragePage(query.year, { province: query.province, regionId: query.region }, { page, pageSize });
  }

  private async owners(applicantId: number): Promise<number[]> {
    return (await this.applicants.memberLocalGovernmentIds(applicantId)) ?? [];
  }
}
