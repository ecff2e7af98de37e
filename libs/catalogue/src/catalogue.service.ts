import { NotFound } from '@ps/kernel';
import { hydrate } from '@ps/database';
import { Injectable } from '@nestjs/common';
import { InjectEntityManager, InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Not, Repository } from 'typeorm';
import { Call, KpiLine } from './catalogue.entities';

export interface MenuAction {
  number: number;
  titleNl: string;
  funded: boolean;
  kpiLines: KpiLine[];
}

export interface MenuObjective {
  code: string;
  nameNl: string;
  actions: MenuAction[];
}

@Injectable()
export class CatalogueService {
  constructor(
    @InjectEntityManager() private readonly manager: EntityManager,
    @InjectRepository(Call) private readonly calls: Repository<Call>,
  ) {}

  /** The calls by project year; drafts only when `drafts` (for ABB's administrators: nobody else sees a draft). */
  listCalls(drafts = false): Promise<Call[]> {
    return this.calls.find({ where: drafts ? {} : { state: Not('draft' as const) }, order: { yearNumber: 'ASC' } });
  }

  async getCallByYear(yearNumber: number, drafts = false): Promise<Call> {
    const call = await this.calls.findOneBy(drafts ? { yearNumber } : { yearNumber, state: Not('draft' as const) });
    if (!call) throw new NotFound(`Oproep voor projectjaar ${yearNumber} bestaat niet.`);
    return call;
  }

  /** Whether a project year's call is a draft (its history is then ABB's only, like the call). */
  async isDraft(yearNumber: number): Promise<boolean> {
    return (await this.calls.countBy({ yearNumber, state: 'draft' })) > 0;
  }

  /** The latest call: the one a visitor most likely wants to see (a draft only when `drafts`). */
  async latestCall(drafts = false): Promise<Call | null> {
    const [call] = await this.calls.find({ where: drafts ? {} : { state: Not('draft' as const) }, order: { yearNumber: 'DESC' }, take: 1 });
    return call ?? null;
  }

  /**
   * The menu of a call: the objectives it knows in order, the call's own actions (its titles, whether funded) and its KPI
   * lines. An action another call added or this one retired is not in it.
   */
  async menu(call: Call): Promise<MenuObjective[]> {
    // One statement, not one per table: the menu is on every applicant's and application's page.
    const rows: { code: string; name_nl: string; number: number | null; title_nl: string | null; funded: boolean | null; kpi_line: object | null }[] =
      await this.manager.query(
        `SELECT o.code, o.name_nl, a.number, ca.title_nl, ca.funded, to_jsonb(k) AS kpi_line
           FROM objective o
           LEFT JOIN (action a JOIN call_action ca ON ca.action_number = a.number AND ca.call_id = $1) ON a.objective_code = o.code
           LEFT JOIN kpi_line k ON k.call_id = $1 AND k.action_number = a.number
          WHERE o.first_year IS NULL OR o.first_year <= $2
          ORDER BY o.position, o.code, a.number, k.position`,
        [call.id, call.yearNumber],
      );
    const menu: MenuObjective[] = [];
    for (const row of rows) {
      let objective = menu.at(-1);
      if (objective?.code !== row.code) menu.push((objective = { code: row.code, nameNl: row.name_nl, actions: [] }));
      if (row.number === null) continue;
      let action = objective.actions.at(-1);
      if (action?.number !== row.number) objective.actions.push((action = { number: row.number, titleNl: row.title_nl!, funded: row.funded!, kpiLines: [] }));
      if (row.kpi_line) action.kpiLines.push(...hydrate(this.manager, KpiLine, [row.kpi_line as Record<string, unknown>]));
    }
    return menu;
  }
}
