import { NotFound } from '@ps/kernel';
import { Injectable } from '@nestjs/common';
import { InjectEntityManager, InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Not, Repository } from 'typeorm';
import { Call, KpiLine } from './catalogue.entities';
import { CatalogueRepository } from './catalogue.repository';

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
    private readonly repository: CatalogueRepository,
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
    const menu: MenuObjective[] = [];
    for (const row of await this.repository.menuRows(this.manager, call)) {
      let objective = menu.at(-1);
      if (objective?.code !== row.code) menu.push((objective = { code: row.code, nameNl: row.name_nl, actions: [] }));
      if (row.number === null) continue;
      let action = objective.actions.at(-1);
      if (action?.number !== row.number) objective.actions.push((action = { number: row.number, titleNl: row.title_nl!, funded: row.funded!, kpiLines: [] }));
      if (row.kpiLine) action.kpiLines.push(row.kpiLine);
    }
    return menu;
  }
}
