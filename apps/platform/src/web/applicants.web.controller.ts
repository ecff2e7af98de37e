import { Body, Controller, Get, Param, Post, Query, Req, Res, UploadedFile } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Request, Response } from 'express';
import {
  APPLICANT_KINDS,
  ApplicantRegistrationService,
  ContactDto,
  ContactPayoutService,
  DocumentsService,
  MAX_LETTER_BYTES,
  MemberChangeDto,
  PartnerDto,
  PartnerLinkDto,
  PartnersService,
  RegisterApplicantDto,
  UploadedFile as Upload,
} from '@ps/applicants';
import { ApplicationsService } from '@ps/applications';
import { PageQueryDto } from '@ps/database';
import { CatalogueService } from '@ps/catalogue';
import { Actor, asSeenBy, scopeOf, seesPersonalData } from '@ps/identity';
import { formatBrussels, formatIban, NotFound } from '@ps/kernel';
import { OrganisationsService } from '@ps/organisations';
import { Access } from '../auth/access.decorator';
import { CsrfCheckedUpload } from '../auth/csrf';
import { ownScope } from '../auth/own-scope';
import { FieldError, byField, formRefusal, invalidForm, runFormChange, searchText, validateForm } from './forms';
import { translate } from './i18n';
import { localGovernmentOptions } from './local-government-options';
import { paginationView } from './pagination';
import { ParseIdPipe } from './parse-id.pipe';
import { sendPdf } from '../documents/send-file';
import { redirectWithNotice } from './notice';

const tenant = { kind: 'applicant' as const, param: 'id' };
/** How many municipalities a search for a new member shows at most. */
const MEMBER_MATCHES = 20;
/** What was typed to find a new member, and the one chosen among the matches (shown again when the choice is refused). */
type MemberSearch = { text?: string; chosen?: unknown };
type Form = 'member' | 'contact' | 'letter' | 'partner' | 'link';

/** Prefixes a form's field names so that every field id on the applicant page is unique. */
const prefixed = (form: Form, errors: FieldError[]) => errors.map((e) => ({ ...e, field: e.field ? `${form}-${e.field}` : '' }));

@ApiExcludeController()
@Controller()
export class ApplicantsWebController {
  constructor(
    private readonly applicants: ApplicantRegistrationService,
    private readonly contactPayout: ContactPayoutService,
    private readonly documents: DocumentsService,
    private readonly partners: PartnersService,
    private readonly catalogue: CatalogueService,
    private readonly organisations: OrganisationsService,
    private readonly applications: ApplicationsService,
  ) {}

  @Get('aanvragers')
  @Access({ permission: 'applicants:read', scopedByHandler: true })
  async list(@Query() query: Record<string, unknown>, @Req() req: Request, @Res() res: Response) {
    const calls = await this.catalogue.listCalls();
    const call = calls.find((c) => String(c.yearNumber) === query.projectjaar) ?? calls[calls.length - 1];
    const own = ownScope(req.actor!, 'applicants:read');
    // the page asked for: refused in Dutch when out of bounds; an unknown year falls back to the latest instead
    const { value: paging, errors } = validateForm(PageQueryDto, { page: query.page, pageSize: query.pageSize });
    const applicants = errors.length > 0 ? undefined : await this.applicants.pageForCall(call.id, own, paging);
    const invitations = await this.applicants.invitations(own);
    res.status(applicants ? 200 : 422).render('applicants', {
      title: translate('applicants.title'),
      page: 'applicants',
      errors,
      call,
      applicants: applicants?.items ?? [],
      total: applicants?.total ?? 0,
      // kept when the year changes; the page starts again at 1
      pageSize: applicants ? paging.pageSize : undefined,
      pagination: applicants && paginationView(applicants, '/aanvragers', { projectjaar: call.yearNumber, pageSize: paging.pageSize }),
      invitationCount: invitations.length,
      calls: calls.map((c) => ({ ...c, selected: c.id === call.id })),
      canRegister: !!scopeOf(req.actor!.role, 'applicants:register'),
    });
  }

  @Get('aanvragers/nieuw')
  @Access({ permission: 'applicants:register', scopedByHandler: true })
  async newForm(@Query() query: Record<string, string>, @Req() req: Request, @Res() res: Response) {
    res.render('applicant-new', await this.newView(req.actor!, query));
  }

  @Post('aanvragers')
  @Access({ permission: 'applicants:register', scopedByHandler: true })
  async register(@Body() body: Record<string, unknown>, @Req() req: Request, @Res() res: Response) {
    const actor = req.actor!;
    const { value, errors } = validateForm(RegisterApplicantDto, body);
    let refused = invalidForm(errors);
    if (errors.length === 0) {
      try {
        const applicant = await this.applicants.register(actor, value, scopeOf(actor.role, 'applicants:register') === 'own');
        return redirectWithNotice(req, res, `/aanvragers/${applicant.id}`, translate('applicants.registered', { name: applicant.nameNl }));
      } catch (error) {
        refused = formRefusal(error, 'memberLocalGovernmentIds');
      }
    }
    // The first step's choices travel as hidden fields; their errors point at the first step's fields.
    const anchors: Record<string, string> = { year: 'projectjaar', kind: 'soort-alone', leadLocalGovernmentId: 'trekker' };
    const shown = refused.errors.map((e) => ({ ...e, field: anchors[e.field] ?? e.field }));
    const query = { projectjaar: String(body.year ?? ''), soort: String(body.kind ?? ''), trekker: String(body.leadLocalGovernmentId ?? '') };
    const chosen = ([] as unknown[]).concat(body.memberLocalGovernmentIds ?? []).map(String);
    res.status(refused.status).render('applicant-new', { ...(await this.newView(actor, query, chosen)), errors: shown, fieldErrors: byField(shown) });
  }

  @Get('uitnodigingen')
  @Access({ permission: 'applicants:read', scopedByHandler: true })
  async invitations(@Req() req: Request, @Res() res: Response) {
    res.render('invitations', await this.invitationsView(req.actor!));
  }

  /** Only an officer of the invited local government (or ABB) answers; for anyone else the invitation does not exist (404). */
  @Post('uitnodigingen/:id/:localGovernmentId/aanvaarden')
  @Access({ permission: 'applicants:edit', scopedByHandler: true })
  accept(@Param('id', ParseIdPipe) id: number, @Param('localGovernmentId', ParseIdPipe) localGovernmentId: number, @Req() req: Request, @Res() res: Response) {
    return this.answer(req, res, 'accepted', id, localGovernmentId, () => this.applicants.acceptInvitation(req.actor!, id, localGovernmentId));
  }

  @Post('uitnodigingen/:id/:localGovernmentId/weigeren')
  @Access({ permission: 'applicants:edit', scopedByHandler: true })
  decline(@Param('id', ParseIdPipe) id: number, @Param('localGovernmentId', ParseIdPipe) localGovernmentId: number, @Req() req: Request, @Res() res: Response) {
    return this.answer(req, res, 'declined', id, localGovernmentId, () => this.applicants.declineInvitation(req.actor!, id, localGovernmentId));
  }

  /** The applicant's page; `?lid=` searches the municipalities that may be added as a member. */
  @Get('aanvragers/:id')
  @Access({ permission: 'applicants:read', tenant })
  async page(@Param('id', ParseIdPipe) id: number, @Query('lid') lid: unknown, @Req() req: Request, @Res() res: Response) {
    const search = searchText(lid, 'member-search');
    const view = await this.pageView(id, req.actor!, { text: search.text });
    if (!search.error) return res.render('applicant', view);
    res.status(400).render('applicant', { ...view, errors: [search.error], fieldErrors: byField([search.error]) });
  }

  /** Adds the municipality chosen among the search's matches; the search (`lid`) comes along to show them again on a refusal. */
  @Post('aanvragers/:id/leden')
  @Access({ permission: 'applicants:edit', tenant })
  async addMember(@Param('id', ParseIdPipe) id: number, @Body() body: unknown, @Req() req: Request, @Res() res: Response) {
    const { lid, ...fields } = (body ?? {}) as Record<string, unknown>;
    await this.submit(
      id,
      req,
      res,
      'member',
      MemberChangeDto,
      fields,
      (value: MemberChangeDto) => this.applicants.addMember(req.actor!, id, value.localGovernmentId, value.version),
      { text: searchText(lid, 'member-search').text, chosen: fields.localGovernmentId },
    );
  }

  @Post('aanvragers/:id/leden/:localGovernmentId/verwijderen')
  @Access({ permission: 'applicants:edit', tenant })
  async removeMember(
    @Param('id', ParseIdPipe) id: number,
    @Param('localGovernmentId', ParseIdPipe) localGovernmentId: number,
    @Body() body: Record<string, unknown>,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    await this.submit(id, req, res, 'member', MemberChangeDto, { localGovernmentId, version: body.version }, (value: MemberChangeDto) =>
      this.applicants.removeMember(req.actor!, id, value.localGovernmentId, value.version),
    );
  }

  @Post('aanvragers/:id/contact')
  @Access({ permission: 'applicants:edit', tenant })
  async contact(@Param('id', ParseIdPipe) id: number, @Body() body: unknown, @Req() req: Request, @Res() res: Response) {
    await this.submit(id, req, res, 'contact', ContactDto, body, (value: ContactDto) => this.contactPayout.updateContact(req.actor!, id, value));
  }

  @Post('aanvragers/:id/brief')
  @Access({ permission: 'applicants:edit', tenant })
  @CsrfCheckedUpload('letter', { limits: { fileSize: MAX_LETTER_BYTES + 1, files: 1 } })
  async letter(@Param('id', ParseIdPipe) id: number, @UploadedFile() file: Upload | undefined, @Req() req: Request, @Res() res: Response) {
    await this.submit(id, req, res, 'letter', null, {}, () => this.documents.uploadIbanLetter(req.actor!, id, file));
  }

  /** The signed letter names the account and its holder: personal data (docs/security.md). */
  @Get('aanvragers/:id/brief')
  @Access({ permission: 'audit:read-personal', tenant })
  async downloadLetter(@Param('id', ParseIdPipe) id: number, @Res() res: Response) {
    sendPdf(res, await this.documents.latestIbanLetterFile(id));
  }

  @Post('aanvragers/:id/partners')
  @Access({ permission: 'applicants:edit', tenant })
  async addPartner(@Param('id', ParseIdPipe) id: number, @Body() body: unknown, @Req() req: Request, @Res() res: Response) {
    const owners = (await this.applicants.memberLocalGovernmentIds(id)) ?? [];
    await this.submit(id, req, res, 'partner', PartnerDto, body, (value: PartnerDto) => this.partners.addOwnPartner(req.actor!, id, owners, value));
  }

  @Post('aanvragers/:id/partnerkoppelingen')
  @Access({ permission: 'applicants:edit', tenant })
  async link(@Param('id', ParseIdPipe) id: number, @Body() body: unknown, @Req() req: Request, @Res() res: Response) {
    const owners = (await this.applicants.memberLocalGovernmentIds(id)) ?? [];
    await this.submit(id, req, res, 'link', PartnerLinkDto, body, (value: PartnerLinkDto) =>
      this.partners.link(req.actor!, id, owners, value.partnerId, value.actionNumber),
    );
  }

  @Post('aanvragers/:id/partnerkoppelingen/verwijderen')
  @Access({ permission: 'applicants:edit', tenant })
  async unlink(@Param('id', ParseIdPipe) id: number, @Body() body: unknown, @Req() req: Request, @Res() res: Response) {
    const owners = (await this.applicants.memberLocalGovernmentIds(id)) ?? [];
    await this.submit(id, req, res, 'link', PartnerLinkDto, body, (value: PartnerLinkDto) =>
      this.partners.unlink(req.actor!, id, owners, value.partnerId, value.actionNumber),
    );
  }

  @Get('beheer/subsidiabiliteit')
  @Access({ permission: 'eligibility:read' })
  async coverage(@Query() query: Record<string, unknown>, @Res() res: Response) {
    const calls = await this.catalogue.listCalls();
    const call = calls.find((c) => String(c.yearNumber) === query.projectjaar) ?? calls[calls.length - 1];
    const [provinces, regions] = await Promise.all([this.organisations.provinces(), this.applicants.regions()]);
    const province = provinces.find((p) => p === query.provincie);
    const region = regions.find((r) => String(r.id) === query.regio);
    // the page asked for: refused in Dutch when out of bounds; the filters above fall back to "all" instead
    const { value: paging, errors } = validateForm(PageQueryDto, { page: query.page, pageSize: query.pageSize });
    const coverage = errors.length > 0 ? undefined : await this.applicants.coveragePage(call.yearNumber, { province, regionId: region?.id }, paging);
    res.status(coverage ? 200 : 422).render('eligibility-overview', {
      title: translate('coverage.title'),
      page: 'coverage',
      call,
      errors,
      rows: coverage?.items ?? [],
      counts: coverage?.counts,
      pagination:
        coverage &&
        paginationView(coverage, '/beheer/subsidiabiliteit', {
          projectjaar: call.yearNumber,
          provincie: province,
          regio: region?.id,
          pageSize: paging.pageSize,
        }),
      calls: calls.map((c) => ({ ...c, selected: c.id === call.id })),
      provinces: provinces.map((name) => ({ name, selected: name === province })),
      regions: regions.map((r) => ({ ...r, selected: r.id === region?.id })),
    });
  }

  @Get('beheer/partners')
  @Access({ permission: 'applicants:read' })
  async assortment(@Req() req: Request, @Res() res: Response) {
    res.render('partners', await this.assortmentView(req.actor!));
  }

  @Post('beheer/partners')
  @Access({ permission: 'partners:manage' })
  async createPartner(@Body() body: Record<string, unknown>, @Req() req: Request, @Res() res: Response) {
    const { value, errors } = validateForm(PartnerDto, body);
    let refused = errors;
    let status = 422;
    if (errors.length === 0) {
      try {
        const partner = await this.partners.createAssortmentPartner(req.actor!, value);
        return redirectWithNotice(req, res, '/beheer/partners', translate('partners.created', { name: partner.name }));
      } catch (error) {
        ({ errors: refused, status } = formRefusal(error, 'name'));
      }
    }
    const shown = prefixed('partner', refused);
    res
      .status(status)
      .render('partners', { ...(await this.assortmentView(req.actor!)), errors: shown, fieldErrors: byField(shown), submitted: { partner: body } });
  }

  private async answer(
    req: Request,
    res: Response,
    done: 'accepted' | 'declined',
    applicantId: number,
    localGovernmentId: number,
    change: () => Promise<unknown>,
  ) {
    // The notice names the local government ("Mechelen neemt deel"), not "uw lokaal bestuur": ABB may answer for it.
    const invitation = (await this.applicants.invitations(ownScope(req.actor!, 'applicants:read'))).find(
      (i) => i.applicantId === applicantId && i.localGovernmentId === localGovernmentId,
    );
    const told = { url: '/uitnodigingen', notice: translate(`invitations.${done}`, { name: invitation?.localGovernmentNameNl ?? '' }) };
    const refused = await runFormChange(req, res, change, told, 'invitations');
    if (refused)
      res
        .status(refused.status)
        .render('invitations', { ...(await this.invitationsView(req.actor!)), errors: refused.errors, fieldErrors: byField(refused.errors) });
  }

  private async invitationsView(actor: Actor) {
    return {
      title: translate('invitations.title'),
      page: 'applicants',
      invitations: await this.applicants.invitations(ownScope(actor, 'applicants:read')),
      // ABB reads every invitation and may answer for the invited local government.
      forAll: ownScope(actor, 'applicants:read') === undefined,
      canAnswer: !!scopeOf(actor.role, 'applicants:edit'),
    };
  }

  private async assortmentView(actor: Actor) {
    const [assortment, menu] = await Promise.all([this.partners.assortment(), this.catalogue.latestCall().then((call) => this.catalogue.menu(call!))]);
    const partners = asSeenBy(actor.role, assortment);
    return {
      title: translate('partners.title'),
      page: 'partners',
      canManage: !!scopeOf(actor.role, 'partners:manage'),
      partners: partners.map((p) => ({ ...p, actions: p.actionNumbers.length === 24 ? translate('partners.allActions') : p.actionNumbers.join(', ') })),
      actions: menu.flatMap((o) => o.actions).map((a) => ({ number: a.number, titleNl: a.titleNl })),
    };
  }

  /** Validates a form of the applicant page, runs the change, and either returns to the page or shows it again with the errors. */
  private async submit<T extends object>(
    id: number,
    req: Request,
    res: Response,
    form: Form,
    dto: (new () => T) | null,
    body: unknown,
    change: (value: T) => Promise<unknown>,
    memberSearch: MemberSearch = {},
  ) {
    const { value, errors } = dto ? validateForm(dto, body) : { value: {} as T, errors: [] };
    const refused =
      errors.length > 0
        ? invalidForm(errors)
        : await runFormChange(
            req,
            res,
            () => change(value),
            { url: `/aanvragers/${id}#${form}`, notice: translate(`applicants.saved.${form}`) },
            dto ? '' : 'letter',
          );
    if (!refused) return;
    const view = await this.pageView(id, req.actor!, memberSearch);
    // Without matches on the page there is no municipality to choose: the error points at the search field instead.
    const chooser = view.memberSearch?.matches.length ? 'member-localGovernmentId' : 'member-search';
    const shown = prefixed(form, refused.errors).map((e) => (e.field === 'member-localGovernmentId' ? { ...e, field: chooser } : e));
    res.status(refused.status).render('applicant', { ...view, errors: shown, fieldErrors: byField(shown), submitted: { [form]: body } });
  }

  private async pageView(id: number, actor: Actor, memberSearch: MemberSearch = {}) {
    const stored = await this.applicants.get(id);
    if (!stored) throw new NotFound();
    const applicant = asSeenBy(actor.role, stored);
    const personal = seesPersonalData(actor.role);
    const call = await this.catalogue.getCallByYear(applicant.callYear);
    const canEdit = !!scopeOf(actor.role, 'applicants:edit');
    const multiMember = applicant.kind === 'cooperation' || applicant.kind === 'de-rand';
    const [links, assortment, letter, menu, matches, continuation, extension] = await Promise.all([
      this.partners.linksOf(id).then((all) => asSeenBy(actor.role, all)),
      this.partners.assortment().then((all) => asSeenBy(actor.role, all)),
      personal ? this.documents.latestIbanLetter(id) : null,
      this.catalogue.menu(call),
      canEdit && multiMember ? this.memberMatches(memberSearch, call.projectStart, stored.members) : null,
      this.applicants.continuation(stored),
      this.applications.extensionOutlook(stored),
    ]);
    const actions = menu.flatMap((o) => o.actions);
    return {
      title: applicant.nameNl,
      page: 'applicants',
      applicant,
      personal,
      canEdit,
      canStartApplication: !!scopeOf(actor.role, 'applications:edit'),
      multiMember,
      ibanFormatted: applicant.contact.iban ? formatIban(applicant.contact.iban) : null,
      confirmedIbanFormatted: applicant.confirmedPayoutIban ? formatIban(applicant.confirmedPayoutIban) : null,
      letter: letter && { ...letter, uploaded: formatBrussels(letter.uploadedAt) },
      partnersByAction: actions
        .map((a) => ({ number: a.number, titleNl: a.titleNl, links: links.filter((l) => l.actionNumber === a.number) }))
        .filter((a) => a.links.length > 0),
      assortment: assortment.map((p) => ({ ...p, actions: p.actionNumbers.join(', ') })),
      actions: actions.map((a) => ({ number: a.number, titleNl: a.titleNl })),
      continuation,
      extension,
      memberSearch: matches,
    };
  }

  /**
   * The municipalities that match a search for a new member: valid on the call's reference date (docs/calls.md,
   * municipal mergers), not yet taking part, at most MEMBER_MATCHES of them. A search field rather than a list of every
   * municipality: at national scale (14,868 local governments in the benchmarks) that list made the page 900 kB.
   */
  private async memberMatches({ text = '', chosen }: MemberSearch, validOn: string, members: { localGovernmentId: number }[]) {
    if (!text.trim()) return null;
    const found = await this.organisations.searchPage(
      { query: text, validOn, municipalitiesOnly: true, except: members.map((m) => m.localGovernmentId) },
      { pageSize: MEMBER_MATCHES },
    );
    return {
      text,
      total: found.total,
      more: found.total > found.items.length,
      matches: found.items.map((lg) => ({ id: lg.id, label: `${lg.nameNl} (${lg.nisCode})`, checked: String(lg.id) === String(chosen) })),
    };
  }

  private async newView(actor: Actor, query: Record<string, string>, chosen: string[] = []) {
    const ownOnly = scopeOf(actor.role, 'applicants:register') === 'own';
    const calls = await this.catalogue.listCalls();
    const chosenCall = calls.find((c) => String(c.yearNumber) === query.projectjaar) ?? calls[calls.length - 1];
    // The local governments of the call's reference date (docs/calls.md, municipal mergers).
    const choices = await this.organisations.choices(chosenCall?.projectStart);
    const localGovernments = choices.localGovernments;
    const leadId = ownOnly ? String(actor.localGovernmentId) : (query.trekker ?? '');
    const lead = localGovernments.find((lg) => String(lg.id) === leadId);
    const kind = APPLICANT_KINDS.includes(query.soort as never) ? query.soort : '';
    const candidates = !lead
      ? []
      : kind === 'de-rand'
        ? localGovernments.filter((lg) => lg.facilityMunicipality)
        : kind === 'cooperation'
          ? await this.organisations.regionPeers(lead.id, chosenCall?.projectStart)
          : [];
    return {
      title: translate('applicants.newTitle'),
      page: 'applicants',
      ownOnly,
      kind,
      lead,
      step2: !!lead && kind !== '',
      calls: calls.map((c) => ({ ...c, selected: String(c.yearNumber) === (query.projectjaar || String(calls[calls.length - 1].yearNumber)) })),
      year: query.projectjaar || String(calls[calls.length - 1].yearNumber),
      kinds: APPLICANT_KINDS.map((k) => ({ value: k, label: translate(`applicants.kinds.${k}`), checked: k === kind })),
      leadOptions: localGovernmentOptions(choices, 'lead', { selected: leadId }),
      candidates: candidates.map((lg) => ({ id: lg.id, label: `${lg.nameNl} (${lg.nisCode})`, checked: chosen.includes(String(lg.id)) })),
      noRegion: kind === 'cooperation' && !!lead && candidates.length === 0,
    };
  }
}
