import { Application, ApplicationsService } from '@ps/applications';
import { DraftInput } from '@ps/applications';
import { StaleVersion } from '@ps/kernel';
import { Factories, startFactories } from '../support/factories';

/** A draft save writes only what changed; a save that changes nothing writes nothing (issue 15). */
describe('the lean draft save', () => {
  let f: Factories;
  beforeAll(async () => (f = await startFactories()));
  afterAll(() => f?.close());

  /** The form as the officer would send it: every line, the given planned reach, priorities in the given order. */
  function draftOf(application: Application, planned: Record<number, number>, order: number[]): DraftInput {
    return {
      lines: application.lines.map((line) => ({
        kpiLineId: line.id,
        currentReach: 0,
        plannedReach: line.position === 1 && planned[line.actionNumber] !== undefined ? planned[line.actionNumber] : 0,
      })),
      priorities: order.map((actionNumber, i) => ({ actionNumber, priority: i + 1 })),
      cooperationStimulus: false,
      mentorship: null,
      impactBond: null,
    };
  }

  /** The physical row ids: a row that is rewritten (updated, or deleted and inserted) gets a new one. */
  async function rows(id: number) {
    const rowIds = async (sql: string) => Object.fromEntries((await f.dataSource.query(sql, [id])).map((r: { key: number; ctid: string }) => [r.key, r.ctid]));
    return {
      application: await rowIds(`SELECT id AS key, ctid::text FROM application WHERE id = $1`),
      lines: await rowIds(`SELECT kpi_line_id AS key, ctid::text FROM application_line WHERE application_id = $1`),
      priorities: await rowIds(`SELECT action_number AS key, ctid::text FROM application_action WHERE application_id = $1`),
      audit: Number((await f.dataSource.query(`SELECT count(*) AS n FROM audit_event WHERE entity_type = 'application' AND entity_id = $1::text`, [id]))[0].n),
    };
  }

  it('writes nothing for a save that changes nothing: no row, no version, no audit entry', async () => {
    const call = await f.aCall({ year: 1 });
    const applicant = await f.anApplicant(call);
    const applications = f.get(ApplicationsService);
    const started = await applications.start(applicant.officer, applicant.id);
    const saved = await applications.saveDraft(applicant.officer, started.id, started.version, draftOf(started, { 5: 10, 9: 2 }, [5, 9]));
    const before = await rows(saved.id);

    const again = await applications.saveDraft(applicant.officer, saved.id, saved.version, draftOf(saved, { 5: 10, 9: 2 }, [5, 9]));

    expect(again.version).toBe(saved.version);
    expect(again.totals).toEqual(saved.totals);
    expect(await rows(saved.id)).toEqual(before);
  });

  it('rewrites only the changed line and the moved priorities, and swaps priorities without breaking their uniqueness', async () => {
    const call = await f.aCall({ year: 1 });
    const applicant = await f.anApplicant(call);
    const applications = f.get(ApplicationsService);
    const started = await applications.start(applicant.officer, applicant.id);
    const saved = await applications.saveDraft(applicant.officer, started.id, started.version, draftOf(started, { 5: 10, 9: 2, 13: 1 }, [5, 9, 13]));
    const before = await rows(saved.id);
    const line = (action: number) => saved.lines.find((l) => l.actionNumber === action && l.position === 1)!.id;

    const changed = await applications.saveDraft(applicant.officer, saved.id, saved.version, draftOf(saved, { 5: 11, 9: 2, 13: 1 }, [9, 5, 13]));

    expect(changed.version).toBe(saved.version + 1);
    expect(changed.priorities).toEqual({ 9: 1, 5: 2, 13: 3 });
    expect(changed.lines.find((l) => l.id === line(5))!.plannedReach).toBe(11);
    const after = await rows(saved.id);
    expect(after.audit).toBe(before.audit + 1);
    const rewritten = (was: Record<string, string>, now: Record<string, string>) =>
      Object.keys(now)
        .filter((key) => was[key] !== now[key])
        .map(Number);
    expect(rewritten(before.lines, after.lines)).toEqual([line(5)]);
    expect(rewritten(before.priorities, after.priorities).sort()).toEqual([5, 9]);
  });

  it('loses no acknowledged save in a bounded rush: 200 saves from 20 officers on 5 drafts at once', async () => {
    const call = await f.aCall({ year: 1 });
    const applications = f.get(ApplicationsService);
    const drafts = await Promise.all(
      Array.from({ length: 5 }, async () => {
        const applicant = await f.anApplicant(call);
        const started = await applications.start(applicant.officer, applicant.id);
        return { officer: applicant.officer, started, audited: (await rows(started.id)).audit };
      }),
    );
    let planned = 0;
    const acknowledged: { draft: number; version: number; planned: number }[] = [];
    // Four officers per draft save ten times each; a stale version is read again and saved anew, as the page does.
    const officer = async (client: number) => {
      const { officer: actor, started } = drafts[client % drafts.length];
      for (let saved = 0; saved < 10;) {
        const current = await applications.get(started.id);
        const value = ++planned;
        try {
          const answer = await applications.saveDraft(actor, started.id, current.version, draftOf(current, { 5: value }, [5]), `rush-${client}-${value}`);
          acknowledged.push({ draft: started.id, version: answer.version, planned: value });
          saved++;
        } catch (error) {
          if (!(error instanceof StaleVersion)) throw error;
        }
      }
    };
    await Promise.all(Array.from({ length: 20 }, (_, client) => officer(client)));

    expect(acknowledged).toHaveLength(200);
    for (const { started, audited } of drafts) {
      const mine = acknowledged.filter((a) => a.draft === started.id).sort((a, b) => a.version - b.version);
      const stored = await applications.get(started.id);
      const stats = await rows(started.id);
      // Every acknowledged save is one version and one audit entry; the last one is what is stored.
      expect(mine.map((a) => a.version)).toEqual(mine.map((_, i) => started.version + i + 1));
      expect(stored.version).toBe(started.version + mine.length);
      expect(stats.audit - audited).toBe(mine.length);
      expect(stored.lines.find((l) => l.actionNumber === 5 && l.position === 1)!.plannedReach).toBe(mine[mine.length - 1].planned);
    }
  });
});
