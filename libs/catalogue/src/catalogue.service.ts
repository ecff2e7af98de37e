import { NotFound } from '@ps/kernel';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Not, Repository } from 'typeorm';
import { Action, Call, CallAction, KpiLine, Objective } from './catalogue.entities';

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
    @InjectRepository(Objective) private readonly objectives: Repository<Objective>,
    @InjectRepository(Action) private readonly actions: Repository<Action>,
    @InjectRepository(Call) private readonly calls: Repository<Call>,
    @InjectRepository(CallAction) private readonly callActions: Repository<CallAction>,
    @InjectRepository(KpiLine) private readonly kpiLines: Repository<KpiLine>,
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
    const [objectives, actions, callActions, kpiLines] = await Promise.all([
      this.objectives.find({ order: { position: 'ASC' } }),
      this.actions.find({ order: { number: 'ASC' } }),
      this.callActions.findBy({ callId: call.id }),
      this.kpiLines.find({ where: { callId: call.id }, order: { actionNumber: 'ASC', position: 'ASC' } }),
    ]);
    const inCall = new Map(callActions.map((ca) => [ca.actionNumber, ca]));
    return objectives
      .filter((objective) => objective.firstYear === null || objective.firstYear <= call.yearNumber)
      .map((objective) => ({
        code: objective.code,
        nameNl: objective.nameNl,
        actions: actions
          .filter((action) => action.objectiveCode === objective.code && inCall.has(action.number))
          .map((action) => ({
            number: action.number,
            titleNl: inCall.get(action.number)!.titleNl,
            funded: inCall.get(action.number)!.funded,
            kpiLines: kpiLines.filter((line) => line.actionNumber === action.number),
          })),
      }));
  }
}
