import { readFileSync } from 'node:fs';
import { Injectable } from '@nestjs/common';
import { parse } from 'csv-parse/sync';
import { EntityManager } from 'typeorm';
import { insertMissing } from '@ps/database';
import { fromRoot } from '@ps/kernel';
import { OrganisationsService } from './organisations.service';

/** The six facility municipalities of the Vlaamse Rand (they apply together with vzw De Rand). */
export const FACILITY_MUNICIPALITIES = ['23098', '23099', '23100', '23101', '23102', '23103'];

/**
 * Loads the 300 Flemish municipalities (Statbel, 1 Jan 2020) plus VGC and vzw De Rand
 * when they are missing; never overwrites what is there. Then applies the mergers of 2025
 * (285 municipalities since 1 January 2025) unless they were applied before (docs/calls.md, municipal mergers).
 */
@Injectable()
export class OrganisationsReferenceData {
  constructor(private readonly organisations: OrganisationsService) {}

  async ensureLoaded(manager: EntityManager): Promise<void> {
    const rows: Record<string, string>[] = parse(readFileSync(fromRoot('config', 'reference', 'flemish-municipalities-2020.csv')), {
      columns: true,
      skip_empty_lines: true,
      trim: true,
    });
    const municipalities = rows.map((row) => [
      row.nis_code,
      'municipality',
      row.name_nl,
      row.arrondissement_nl,
      row.province_nl,
      Number(row.inhabitants_2020),
      FACILITY_MUNICIPALITIES.includes(row.nis_code),
    ]);
    const columns = ['nis_code', 'kind', 'name_nl', 'arrondissement_nl', 'province_nl', 'inhabitants_2020', 'facility_municipality'];
    await insertMissing(manager, 'local_government', columns, municipalities, '(nis_code) WHERE valid_from IS NULL');
    const special = [
      [null, 'vgc', 'Vlaamse Gemeenschapscommissie (VGC)', null, 'Brussels Hoofdstedelijk Gewest', null, false],
      [null, 'de-rand', 'vzw De Rand', null, 'Vlaams-Brabant', null, false],
    ];
    await insertMissing(manager, 'local_government', columns, special, "(kind) WHERE kind <> 'municipality'");
    await this.organisations.applyMergers(manager, readFileSync(fromRoot('config', 'reference', 'flemish-municipal-mergers-2025.csv')));
  }
}
