import { Controller, Get, HttpStatus, Res } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import { Response } from 'express';
import { DataSource } from 'typeorm';
import { Public } from '../auth/access.decorator';
import { ObservabilityReadModel } from './observability.read-model';
import { withTimeout } from './timeout';

/** Readiness probes time out after a second by default (Kubernetes): the database gets less. */
export const READY_TIMEOUT_MS = 800;

type NotReady = { status: 'not-ready'; reason: 'database-down' | 'migrations-pending'; nl: string; en: string };

/**
 * Readiness (/ready), apart from liveness (/health): whether this process should be sent requests now. Not while the
 * database does not answer, nor while a registered migration has not run (a new version started before its migration).
 */
@ApiTags('health')
@Public()
@Controller('ready')
export class ReadinessController {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly readModel: ObservabilityReadModel,
  ) {}

  @Get()
  @ApiOkResponse({ description: 'The database answers and every migration has run.' })
  @ApiServiceUnavailableResponse({ description: 'Not ready, with the reason in Dutch and English.' })
  async check(@Res({ passthrough: true }) res: Response): Promise<{ status: 'ready' } | NotReady> {
    res.setHeader('Cache-Control', 'no-store');
    const notReady = await this.problem();
    if (!notReady) return { status: 'ready' };
    res.status(HttpStatus.SERVICE_UNAVAILABLE);
    return notReady;
  }

  private async problem(): Promise<NotReady | null> {
    let applied: string[];
    try {
      applied = await withTimeout(
        this.readModel.selectOne().then(() => this.readModel.appliedMigrations()),
        READY_TIMEOUT_MS,
      );
    } catch {
      return { status: 'not-ready', reason: 'database-down', nl: 'De databank antwoordt niet.', en: 'The database does not answer.' };
    }
    const done = new Set(applied);
    const pending = this.dataSource.migrations.filter((migration) => !done.has(migration.name ?? migration.constructor.name)).length;
    if (pending === 0) return null;
    return {
      status: 'not-ready',
      reason: 'migrations-pending',
      nl: `${pending} migratie(s) van de databank moeten nog lopen.`,
      en: `${pending} database migration(s) have not run yet.`,
    };
  }
}
