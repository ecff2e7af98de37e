import fc from 'fast-check';
import { FieldErrors } from '@ps/kernel';
import {
  brusselsToday,
  creditTransfersOf,
  EXECUTION_DATE_FORMAT,
  EXECUTION_DATE_PAST,
  EXECUTION_DATE_TOO_LATE,
  EXECUTION_DATE_WEEKEND,
  executionDateOf,
  nextBusinessDay,
  paymentFileIds,
  ReleasedPayment,
  releasesOf,
} from './payment-file';
import { isSepaId } from './sepa-credit-transfer';
import { paymentReference } from './structured-communication';

const payment = (applicantId: number, kind: ReleasedPayment['kind'], amountCents: number): ReleasedPayment => ({
  applicantId,
  applicantNameNl: `Aanvrager ${applicantId}`,
  kind,
  amountCents,
  reference: paymentReference(2, applicantId, kind),
});

describe('what goes into the SEPA file of a released list', () => {
  it('pays advances and balances to the confirmed account, keeps recoveries and zero amounts out', () => {
    const ibans = new Map([
      [1, 'BE71096123456769'],
      [2, 'BE68539007547034'],
    ]);
    const selection = creditTransfersOf(
      [payment(1, 'advance', 800_00), payment(2, 'balance', 12_34), payment(2, 'recovery', 50_00), payment(1, 'balance', 0)],
      ibans,
    );
    // base 0210000001 = 97 × 2164948 + 45; base 0220000002 = 97 × 2268041 + 25
    expect(selection.transfers).toEqual([
      { endToEndId: 'PS-021000000145', beneficiaryName: 'Aanvrager 1', iban: 'BE71096123456769', amountCents: 800_00, communication: '+++021/0000/00145+++' },
      { endToEndId: 'PS-022000000225', beneficiaryName: 'Aanvrager 2', iban: 'BE68539007547034', amountCents: 12_34, communication: '+++022/0000/00225+++' },
    ]);
    expect(selection.recoveries).toEqual([payment(2, 'recovery', 50_00)]);
    expect(selection.withoutAccount).toEqual([]);
  });

  it('never pays an applicant without a confirmed account: it is set apart', () => {
    const selection = creditTransfersOf([payment(1, 'advance', 100), payment(3, 'advance', 200)], new Map([[1, null]]));
    expect(selection.transfers).toEqual([]);
    expect(selection.withoutAccount.map((p) => p.applicantId)).toEqual([1, 3]);
  });

  it('every credit transfer goes to the account the map confirms, whatever the list', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({ id: fc.integer({ min: 1, max: 50 }), kind: fc.constantFrom('advance', 'balance', 'recovery' as const), cents: fc.nat(10_000_000) }),
        ),
        fc.dictionary(fc.integer({ min: 1, max: 50 }).map(String), fc.option(fc.constantFrom('BE71096123456769', 'BE68539007547034'))),
        (rows, accounts) => {
          const ibans = new Map(Object.entries(accounts).map(([id, iban]) => [Number(id), iban]));
          const payments = rows.map((r) => payment(r.id, r.kind, r.cents));
          const { transfers, recoveries, withoutAccount } = creditTransfersOf(payments, ibans);
          const paid = payments.filter((p) => p.kind !== 'recovery' && p.amountCents > 0);
          // the structured communication's digits 4 to 10 are the applicant id (paymentReference)
          const applicantOf = (endToEndId: string) => Number(endToEndId.slice('PS-'.length + 3, 'PS-'.length + 10));
          return (
            transfers.every((t) => t.iban === ibans.get(applicantOf(t.endToEndId))) &&
            withoutAccount.every((p) => (ibans.get(p.applicantId) ?? null) === null) &&
            transfers.length + withoutAccount.length === paid.length &&
            recoveries.length === payments.filter((p) => p.kind === 'recovery').length &&
            transfers.every((t) => t.amountCents > 0)
          );
        },
      ),
    );
  });
});

describe('ids of a payment file', () => {
  it('name the run and the release, the same every time', () => {
    expect(paymentFileIds(12, 3)).toEqual({ messageId: 'PLANSAMEN-V12-R3', paymentInformationId: 'PLANSAMEN-V12-R3-1' });
    expect(paymentFileIds(12, 3)).toEqual(paymentFileIds(12, 3));
  });

  it('are SEPA identifiers of at most 35 characters, distinct for distinct lists', () => {
    const ids = paymentFileIds(2_147_483_647, 2_147_483_647);
    expect(isSepaId(ids.messageId) && isSepaId(ids.paymentInformationId)).toBe(true);
    expect(new Set([paymentFileIds(1, 12).messageId, paymentFileIds(11, 2).messageId, paymentFileIds(1, 2).messageId]).size).toBe(3);
    for (const [run, n] of [
      [0, 1],
      [1, 0],
      [1.5, 1],
    ])
      expect(() => paymentFileIds(run, n)).toThrow(RangeError);
  });
});

describe('the requested execution date', () => {
  const refusal = (requested: string, today: string) => {
    try {
      executionDateOf(requested, today);
    } catch (error) {
      expect(error).toBeInstanceOf(FieldErrors);
      return (error as FieldErrors).fields;
    }
    throw new Error(`${requested} was accepted`);
  };

  it('defaults to the next weekday', () => {
    expect(nextBusinessDay('2026-12-07')).toBe('2026-12-08'); // Monday → Tuesday
    expect(nextBusinessDay('2026-12-11')).toBe('2026-12-14'); // Friday → Monday
    expect(nextBusinessDay('2026-12-12')).toBe('2026-12-14'); // Saturday → Monday
    expect(executionDateOf(undefined, '2026-12-11')).toBe('2026-12-14');
    expect(executionDateOf('', '2026-12-11')).toBe('2026-12-14');
  });

  it('takes a weekday from today up to a year ahead', () => {
    expect(executionDateOf('2026-12-07', '2026-12-07')).toBe('2026-12-07');
    expect(executionDateOf('2027-12-07', '2026-12-07')).toBe('2027-12-07');
  });

  it('refuses, under the field, what is no date, in the past, on a weekend or more than a year ahead', () => {
    expect(refusal('7/12/2026', '2026-12-07')).toEqual({ executionDate: [EXECUTION_DATE_FORMAT] });
    expect(refusal('2026-02-30', '2026-01-07')).toEqual({ executionDate: [EXECUTION_DATE_FORMAT] });
    expect(refusal('2026-12-04', '2026-12-07')).toEqual({ executionDate: [EXECUTION_DATE_PAST] });
    expect(refusal('2026-12-12', '2026-12-07')).toEqual({ executionDate: [EXECUTION_DATE_WEEKEND] });
    expect(refusal('2027-12-08', '2026-12-07')).toEqual({ executionDate: [EXECUTION_DATE_TOO_LATE] });
    expect(() => executionDateOf('x', '2026-12-07', 'uitvoeringsdatum')).toThrow(FieldErrors);
  });

  it("knows today's date in Brussels", () => {
    expect(brusselsToday(new Date('2026-12-06T23:30:00Z'))).toBe('2026-12-07');
    expect(brusselsToday(new Date('2026-07-01T21:59:00Z'))).toBe('2026-07-01');
  });
});

describe("a run's released lists", () => {
  const at = (minute: number) => new Date(Date.UTC(2026, 2, 2, 9, minute));
  const row = (applicantId: number, kind: ReleasedPayment['kind'], minute: number, releaseProposalId: number | null) => ({
    ...payment(applicantId, kind, 100),
    releasedAt: at(minute),
    releaseProposalId,
  });

  it('are the approved proposals, and what was released before four eyes, numbered in the order released', () => {
    const releases = releasesOf([
      row(1, 'balance', 30, 9),
      row(1, 'advance', 0, null),
      row(2, 'advance', 10, 4),
      row(2, 'balance', 5, null),
      row(3, 'recovery', 30, 9),
    ]);
    expect(releases.map((r) => [r.number, r.releasedAt, r.payments.map((p) => `${p.applicantId}${p.kind}`)])).toEqual([
      [1, at(0), ['1advance', '2balance']],
      [2, at(10), ['2advance']],
      [3, at(30), ['1balance', '3recovery']],
    ]);
  });

  it('keep their numbers when a later list is released', () => {
    const before = [row(1, 'advance', 0, 3), row(2, 'advance', 0, 3)];
    const after = releasesOf([...before, row(1, 'balance', 20, 8)]);
    expect(after.slice(0, 1)).toEqual(releasesOf(before));
    expect(releasesOf([])).toEqual([]);
  });
});
