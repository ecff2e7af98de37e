import { NotFound } from '@ps/kernel';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
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

  listCalls(): Promise<Call[]> {
    return this.calls.find({ order: { yearNumber: 'ASC' } });
  }

  async getCallByYear(yearNumber: number): Promise<Call> {
    const call = await this.calls.findOneBy({ yearNumber });
    if (!call) throw new NotFound(`Oproep voor projectjaar ${yearNumber} bestaat niet.`);
    return call;
  }

  /** The latest call: the one a visitor most likely wants to see. */
  async latestCall(): Promise<Call | null> {
    const [call] = await this.calls.find({ order: { yearNumber: 'DESC' }, take: 1 });
    return call ?? null;
  }

  /** The menu of a call: objectives in order, their actions, whether funded, and the KPI lines. */
  async menu(call: Call): Promise<MenuObjective[]> {
    const [objectives, actions, callActions, kpiLines] = await Promise.all([
      this.objectives.find({ order: { position: 'ASC' } }),
      this.actions.find({ order: { number: 'ASC' } }),
      this.callActions.findBy({ callId: call.id }),
      this.kpiLines.find({ where: { callId: call.id }, order: { actionNumber: 'ASC', position: 'ASC' } }),
    ]);
    const funded = new Map(callActions.map((ca) => [ca.actionNumber, ca.funded]));
    return objectives.map((objective) => ({
      code: objective.code,
      nameNl: objective.nameNl,
      actions: actions
        .filter((action) => action.objectiveCode === objective.code)
        .map((action) => ({
          number: action.number,
          titleNl: action.titleNl,
          funded: funded.get(action.number) ?? false,
          kpiLines: kpiLines.filter((line) => line.actionNumber === action.number),
        })),
    }));
  }
}
