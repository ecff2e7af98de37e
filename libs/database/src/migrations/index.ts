import { Foundation1763790000000 } from './1763790000000-foundation';
import { AccountsAndAudit1763800000000 } from './1763800000000-accounts-and-audit';

/** Every migration, in order. Listed explicitly so the same list runs from src and dist. */
export const migrations = [Foundation1763790000000, AccountsAndAudit1763800000000];
