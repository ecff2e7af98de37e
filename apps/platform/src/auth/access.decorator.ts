import { SetMetadata } from '@nestjs/common';
import { Permission } from '@ps/identity';

/** A kind of record whose owning local governments the guard can look up from a route parameter. */
export type TenantKind = 'applicant' | 'application';

export type AccessRule =
  | { public: true }
  | {
      permission: Permission;
      /** Officers ("own" scope) reach only records of their local government: 404 otherwise. */
      tenant?: { kind: TenantKind; param: string };
      /** The handler itself narrows lists to the actor's local government for "own" scope. */
      scopedByHandler?: true;
    };

export const ACCESS_RULE = 'ps:access-rule';

/** Every route states who may call it; a route without a rule is refused (and fails the access-matrix test). */
export const Access = (rule: AccessRule) => SetMetadata(ACCESS_RULE, rule);
export const Public = () => Access({ public: true });
