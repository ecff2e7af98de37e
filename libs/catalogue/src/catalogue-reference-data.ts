import { readFileSync } from 'node:fs';
import { Injectable } from '@nestjs/common';
import { CatalogueRepository } from './catalogue.repository';
import { parse } from 'csv-parse/sync';
import { EntityManager } from 'typeorm';
import { insertMissing } from '@ps/database';
import { brusselsToInstant, eurosToCents, fromRoot } from '@ps/kernel';

interface MenuFile {
  objectives: { code: string; nameNl: string }[];
  actions: { number: number; titleNl: string; objective: string }[];
}

interface KpiLineDefinition {
  action: number;
  descriptionNl: string;
  unitNl: string;
  maxQuantity: number;
  unitAmountEuro: string;
}

interface CallDefinition {
  yearNumber: number;
  nameNl: string;
  submissionOpens: string;
  submissionCloses: string;
  projectStart: string;
  projectEnd: string;
  budgetEuro: string | null;
  decisionDate: string | null;
  interimReportDue: string | null;
  finalReportDue: string | null;
  eligibilityThreshold: number;
  originDefinition: string;
  statisticsReferenceYear: number;
  onlyExistingApplicants: boolean;
  unfundedActions: number[];
  kpiCatalogue?: string;
  kpiCatalogueCopiedFrom?: number;
  extraKpiLines?: KpiLineDefinition[];
}

const readJson = <T>(file: string): T => JSON.parse(readFileSync(fromRoot('config', 'reference', file), 'utf8')) as T;

/** Reads a KPI catalogue CSV in the format of kpi-catalogue-call-2022.csv. */
export function readKpiCatalogue(file: string): KpiLineDefinition[] {
  const rows: Record<string, string>[] = parse(readFileSync(fromRoot('config', 'reference', file)), { columns: true, skip_empty_lines: true, trim: true });
  return rows.map((row) => ({
    action: Number(row.action_number),
    descriptionNl: row.action_description_nl,
    unitNl: row.kpi_unit_nl,
    maxQuantity: Number(row.max_quantity),
    unitAmountEuro: row.flemish_contribution_per_unit_eur,
  }));
}

/**
 * Loads the menu and the calls with their KPI catalogues from config/reference when they are
 * missing. Existing rows are never overwritten: once loaded, they belong to ABB's administrators.
 */
@Injectable()
export class CatalogueReferenceData {
  constructor(private readonly repository: CatalogueRepository) {}

  async ensureLoaded(manager: EntityManager): Promise<void> {
    const menu = readJson<MenuFile>('menu.json');
    await insertMissing(
      manager,
      'objective',
      ['code', 'name_nl', 'position'],
      menu.objectives.map((o, i) => [o.code, o.nameNl, i + 1]),
      '(code)',
    );
    await insertMissing(
      manager,
      'action',
      ['number', 'objective_code', 'title_nl'],
      menu.actions.map((a) => [a.number, a.objective, a.titleNl]),
      '(number)',
    );

    const catalogues = new Map<number, KpiLineDefinition[]>();
    for (const call of readJson<{ calls: CallDefinition[] }>('calls.json').calls) {
      const lines = [
        ...(call.kpiCatalogue ? readKpiCatalogue(call.kpiCatalogue) : (catalogues.get(call.kpiCatalogueCopiedFrom ?? -1) ?? [])),
        ...(call.extraKpiLines ?? []),
      ];
      catalogues.set(call.yearNumber, lines);
      await this.insertCallIfMissing(manager, call, menu, lines);
    }
  }

  private async insertCallIfMissing(manager: EntityManager, call: CallDefinition, menu: MenuFile, lines: KpiLineDefinition[]) {
    const callId = await this.repository.insertCallIfMissing(manager, [
      call.yearNumber,
      call.nameNl,
      brusselsToInstant(call.submissionOpens),
      brusselsToInstant(call.submissionCloses),
      call.projectStart,
      call.projectEnd,
      call.budgetEuro === null ? null : eurosToCents(call.budgetEuro),
      call.decisionDate,
      call.interimReportDue && brusselsToInstant(call.interimReportDue),
      call.finalReportDue && brusselsToInstant(call.finalReportDue),
      call.eligibilityThreshold,
      call.originDefinition,
      call.statisticsReferenceYear,
      call.onlyExistingApplicants,
      call.onlyExistingApplicants ? call.yearNumber - 1 : null,
    ]);
    if (callId === null) return;
    const actionRows = menu.actions.map((a) => [callId, a.number, !call.unfundedActions.includes(a.number), a.titleNl]);
    await insertMissing(manager, 'call_action', ['call_id', 'action_number', 'funded', 'title_nl'], actionRows, '(call_id, action_number)');
    const positions = new Map<number, number>();
    const lineRows = lines.map((line) => {
      const position = (positions.get(line.action) ?? 0) + 1;
      positions.set(line.action, position);
      return [callId, line.action, position, line.descriptionNl, line.unitNl, line.maxQuantity, eurosToCents(line.unitAmountEuro)];
    });
    await insertMissing(
      manager,
      'kpi_line',
      ['call_id', 'action_number', 'position', 'description_nl', 'unit_nl', 'max_quantity', 'unit_amount_cents'],
      lineRows,
      '(call_id, action_number, position)',
    );
  }
}
