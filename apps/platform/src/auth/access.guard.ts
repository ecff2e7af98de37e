import { CanActivate, ExecutionContext, ForbiddenException, Injectable, Logger, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Request } from 'express';
import { ApplicantRegistrationService } from '@ps/applicants';
import { ApplicationsService } from '@ps/applications';
import { Actor, ApiTokensService, scopeOf } from '@ps/identity';
import { NotFound } from '@ps/kernel';
import { actorFor, SignedInUser } from '@ps/identity';
import { ACCESS_RULE, AccessRule, TenantKind } from './access.decorator';
import { CSRF_AFTER_UPLOAD, CSRF_REFUSED, hasValidCsrfToken } from './csrf';
import { markRefused } from './security-events';
import { SignInRequired } from './sign-in-required';

declare module 'express' {
  interface Request {
    actor?: Actor;
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The one place where access is decided, for every route: who is calling (session or bearer
 * token), CSRF for session-based unsafe requests, the permission of the route's rule, and for
 * officers the tenant of the record. Unknown tenants and other tenants' records look alike: 404.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  private readonly logger = new Logger('Access');

  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: ApiTokensService,
    private readonly applicants: ApplicantRegistrationService,
    private readonly applications: ApplicationsService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<Request>();
    const rule = this.reflector.getAllAndOverride<AccessRule | undefined>(ACCESS_RULE, [context.getHandler(), context.getClass()]);
    if (!rule) {
      this.logger.error(`no access rule on ${req.method} ${req.route?.path ?? req.path}: refused`);
      markRefused(req, 'no-access-rule');
      throw new ForbiddenException();
    }
    const bearer = /^Bearer (.+)$/i.exec(req.get('authorization') ?? '')?.[1];
    const actor = bearer !== undefined ? await this.tokenActor(req, bearer) : sessionActor(req);
    if (actor) req.actor = actor;
    const isPublic = 'public' in rule;
    if (!actor && !isPublic) throw new SignInRequired(req.originalUrl);
    if (bearer === undefined && !SAFE_METHODS.has(req.method) && !this.csrfDeferred(context, req) && !hasValidCsrfToken(req)) {
      markRefused(req, 'csrf-invalid');
      throw new ForbiddenException({ statusCode: 403, message: CSRF_REFUSED });
    }
    if (isPublic) return true;
    if (!actor) throw new SignInRequired(req.originalUrl);

    const scope = scopeOf(actor.role, rule.permission);
    if (!scope) {
      markRefused(req, 'permission-missing', rule.permission);
      throw new ForbiddenException({ statusCode: 403, message: 'U hebt geen toegang tot deze functie.' });
    }
    if (rule.tenant) await this.checkTenant(req, rule.tenant.kind, String(req.params[rule.tenant.param] ?? ''), actor, scope);
    return true;
  }

  /** A multipart upload's form fields are read after the guard: its route checks the token itself (CsrfCheckedUpload). */
  private csrfDeferred(context: ExecutionContext, req: Request): boolean {
    return req.is('multipart/form-data') === 'multipart/form-data' && this.reflector.get<boolean>(CSRF_AFTER_UPLOAD, context.getHandler()) === true;
  }

  private async tokenActor(req: Request, secret: string): Promise<Actor> {
    const actor = await this.tokens.authenticate(secret);
    if (!actor) {
      const { reason, prefix } = await this.tokens.refusalOf(secret);
      markRefused(req, reason, prefix);
      throw new UnauthorizedException({ statusCode: 401, message: 'Ongeldig, verlopen of ingetrokken token.' });
    }
    return actor;
  }

  private async checkTenant(req: Request, kind: TenantKind, id: string, actor: Actor, scope: 'all' | 'own') {
    const owners = /^\d{1,9}$/.test(id) ? await this.owners(kind, Number(id)) : null;
    if (!owners) throw new NotFound();
    if (scope === 'own' && !(actor.localGovernmentId !== null && owners.includes(actor.localGovernmentId))) {
      markRefused(req, 'other-local-government', `${kind} ${id}`);
      throw new NotFound();
    }
  }

  private owners(kind: TenantKind, id: number): Promise<number[] | null> {
    switch (kind) {
      case 'applicant':
        return this.applicants.memberLocalGovernmentIds(id);
      case 'application':
        return this.applications.memberLocalGovernmentIds(id);
    }
  }
}

function sessionActor(req: Request): Actor | undefined {
  const user = req.user as SignedInUser | undefined;
  return user ? actorFor(user, 'session') : undefined;
}
