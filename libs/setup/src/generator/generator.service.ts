import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { inTransaction } from '@ps/database';
import { Conflict, InvalidRequest } from '@ps/kernel';
import { SetupService } from '../setup.service';
import { GeneratorRepository } from './generator.repository';
import {
  composeTemplate,
  emptyBatch,
  MAX_SCALE,
  syntheticLocalGovernments,
  TEMPLATE_APPLICANTS,
  TEMPLATE_LOCAL_GOVERNMENTS,
  templateMembers,
  UnitContext,
  unitRows,
} from './plan';

export interface GenerateOptions {
  /** 1 = 147 local governments in 59 applicants per project year; N = N times as many. */
  scale: number;
  seed: number;
  /** Empty the applicants, applications and what follows from them first, instead of refusing. */
  force?: boolean;
  /** Units (one applicant in every project year) written so far, of the total. */
  onProgress?: (done: number, total: number) => void;
}

export interface GenerateResult {
  scale: number;
  seed: number;
  years: number;
  applicantsPerYear: number;
  localGovernmentsPerYear: number;
  syntheticLocalGovernments: number;
  counts: Record<string, number>;
  fingerprint: string;
  seconds: number;
}

/** Units per transaction: at 100 units, about 300 applications, 8,500 application lines and 12,000 report lines. */
const UNITS_PER_BATCH = 100;
const SYNTHETIC_PER_BATCH = 5_000;

/**
 * The synthetic data generator (issue 13): a fresh database filled with three project years of applicants,
 * reviewed applications and accepted KPI reports, at N times the real size, the same for the same seed.
 * docs/generator.md.
 */
@Injectable()
export class GeneratorService {
  constructor(
    private readonly setup: SetupService,
    private readonly repository: GeneratorRepository,
  ) {}

  /**
   * Writes on `target`, which must be able to TRUNCATE (with force) and to move sequences: the schema owner's
   * connection (asOwner); the reference and fictional demo figures go through the setup service as usual.
   */
  async generate(target: DataSource, options: GenerateOptions): Promise<GenerateResult> {
    const started = performance.now();
    const { scale, seed } = options;
    if (!Number.isInteger(scale) || scale < 1 || scale > MAX_SCALE) throw new InvalidRequest(`scale must be a whole number from 1 to ${MAX_SCALE}`);
    if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new InvalidRequest('seed must be a whole number from 0 to 4294967295');

    const existing = await this.repository.existing(target.manager);
    if (existing.applicants + existing.applications + existing.synthetic > 0) {
      if (!options.force) {
        throw new Conflict(
          `The database already holds ${existing.applications} applications, ${existing.applicants} applicants and ${existing.synthetic} synthetic local governments; ` +
            'generate writes into an empty target only. Use --force to delete them (with their reports, allocations and payments) first.',
        );
      }
      await inTransaction(target, (manager) => this.repository.clear(manager));
    }

    await this.setup.loadReferenceData();
    await this.setup.loadFictionalRegions();
    await this.setup.loadFictionalStatistics();

    const real = await this.repository.localGovernments(target.manager);
    const calls = await this.repository.calls(target.manager);
    if (calls.length === 0) throw new Conflict('The database has no calls: load the reference data first.');
    const template = composeTemplate(seed, real);
    const members = templateMembers(template);
    const byId = new Map(real.map((lg) => [lg.id, lg]));

    const synthetic = syntheticLocalGovernments(template, byId, scale);
    for (let from = 0; from < synthetic.length; from += SYNTHETIC_PER_BATCH) {
      await inTransaction(target, (manager) => this.repository.insertSynthetic(manager, synthetic.slice(from, from + SYNTHETIC_PER_BATCH)));
    }
    const names = new Map<number, string>([
      ...real.map((lg): [number, string] => [lg.id, lg.nameNl]),
      ...synthetic.map((lg): [number, string] => [lg.id, lg.nameNl]),
    ]);
    const context: UnitContext = {
      seed,
      calls,
      template,
      members,
      indexOf: new Map(members.map((id, index) => [id, index])),
      nameOf: (id) => names.get(id)!,
    };

    const units = template.length * scale;
    for (let from = 0; from < units; from += UNITS_PER_BATCH) {
      const batch = emptyBatch();
      for (let unit = from; unit < Math.min(units, from + UNITS_PER_BATCH); unit++) unitRows(context, unit, batch);
      await inTransaction(target, (manager) => this.repository.insertBatch(manager, batch));
      options.onProgress?.(Math.min(units, from + UNITS_PER_BATCH), units);
    }
    await inTransaction(target, (manager) => this.repository.advanceSequences(manager));

    return {
      scale,
      seed,
      years: calls.length,
      applicantsPerYear: TEMPLATE_APPLICANTS * scale,
      localGovernmentsPerYear: TEMPLATE_LOCAL_GOVERNMENTS * scale,
      syntheticLocalGovernments: synthetic.length,
      counts: await this.repository.counts(target.manager),
      fingerprint: await this.repository.fingerprint(target.manager),
      seconds: (performance.now() - started) / 1000,
    };
  }
}
