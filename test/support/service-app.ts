import { INestApplicationContext, Type } from '@nestjs/common';
import { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import { getDataSourceToken } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CatalogueService } from '@ps/catalogue';
import { loadConfig, PlatformConfig } from '@ps/config';
import { Clock, FixedClock } from '@ps/kernel';
import { OrganisationsService } from '@ps/organisations';
import { fictionalResidents, slug } from '@ps/setup';
import { AppModule } from '../../apps/platform/src/app.module';
import { configureApp } from '../../apps/platform/src/configure-app';
import { createTestDatabase } from './test-database';

/**
 * The platform's services on a database of their own, without HTTP: the same modules as the platform
 * (AppModule, so the wiring is the production one), migrations and reference data, but no demo data.
 * The clock stands still at `now` until a test moves it (`clock.set(...)`).
 */
export interface ServiceApp {
  app: INestApplicationContext;
  /** The Node HTTP server for supertest, when started with `http: true`. */
  http?: ReturnType<NestExpressApplication['getHttpServer']>;
  /** Base URL once started with `listen: true`, for the browser tests. */
  baseUrl?: string;
  dataSource: DataSource;
  config: PlatformConfig;
  clock: FixedClock;
  get<T>(type: Type<T>): T;
  close(): Promise<void>;
}

export interface ServiceAppOptions {
  /** Where the clock stands; the real time by default. */
  now?: Date;
  /**
   * Loads the fictional reference regions (arrondissements) and residents figures for every call, as the demo data
   * does, so that local governments can be eligible. On by default; without them nobody is.
   */
  fictionalFigures?: boolean;
  env?: Record<string, string>;
  /** Also serves the API and the pages (configured as the platform), for e2e tests that build their data with the factories. */
  http?: boolean;
  /** Also listens on 127.0.0.1 (a free port) once initialised, for the browser tests; implies `http`. */
  listen?: boolean;
}

export async function startServiceApp(options: ServiceAppOptions = {}): Promise<ServiceApp> {
  const database = await createTestDatabase();
  const config = loadConfig({ NODE_ENV: 'test', DEMO_DATA: 'false', LOG_LEVEL: 'error', ...database.env, ...options.env });
  const clock = new FixedClock(options.now ?? new Date());
  const moduleRef = await Test.createTestingModule({ imports: [AppModule.forRoot(config)] })
    .overrideProvider(Clock)
    .useValue(clock)
    .compile();
  moduleRef.useLogger(['error', 'warn']);
  let app: INestApplicationContext = moduleRef;
  const http = !!(options.http || options.listen);
  if (http) {
    const web = moduleRef.createNestApplication<NestExpressApplication>({ logger: ['error', 'warn'] });
    configureApp(web, config);
    app = web;
  }
  // Runs the bootstrap hooks (the reference data); the HTTP server only when asked for.
  await app.init();
  let baseUrl: string | undefined;
  if (options.listen) {
    const web = app as NestExpressApplication;
    await web.listen(0, '127.0.0.1');
    baseUrl = (await web.getUrl()).replace('[::1]', '127.0.0.1');
  }
  const get = <T>(type: Type<T>): T => moduleRef.get(type, { strict: false });
  if (options.fictionalFigures ?? true) await loadFictionalFigures(get(OrganisationsService), get(CatalogueService));
  return {
    app,
    http: http ? (app as NestExpressApplication).getHttpServer() : undefined,
    baseUrl,
    dataSource: moduleRef.get<DataSource>(getDataSourceToken()),
    config,
    clock,
    get,
    async close() {
      await app.close();
      await database.drop();
    },
  };
}

/**
 * The demo's fictional figures, loaded through the organisations service's imports (not SQL): arrondissements as
 * reference regions, and residents of non-EU origin for each call's reference year and definition. NOT official.
 */
async function loadFictionalFigures(organisations: OrganisationsService, catalogue: CatalogueService): Promise<void> {
  const isMunicipality = (lg: { kind: string; nisCode: string | null }) => lg.kind === 'municipality' && !!lg.nisCode;
  // One line per NIS code: a region line moves every local government that had the code (docs/calls.md, municipal mergers).
  const municipalities = [...new Map((await organisations.search()).filter(isMunicipality).map((m) => [m.nisCode, m])).values()];
  const regions = [
    'nis_code,region_code,region_name_nl',
    ...municipalities.map((m) => `${m.nisCode},demo-${slug(m.arrondissementNl ?? '')},Demoregio ${m.arrondissementNl} (fictief)`),
  ];
  await organisations.importRegions(regions.join('\n'), { fictional: true });
  const needed = new Map((await catalogue.listCalls()).map((call) => [`${call.statisticsReferenceYear} ${call.originDefinition}`, call]));
  const statistics = ['nis_code,reference_year,origin_definition,residents'];
  for (const call of needed.values()) {
    // The municipalities of the reference year: a later successor derives its figure from its predecessors'.
    for (const m of (await organisations.search({ validOn: `${call.statisticsReferenceYear}-01-01` })).filter(isMunicipality)) {
      statistics.push(
        `${m.nisCode},${call.statisticsReferenceYear},${call.originDefinition},${fictionalResidents(m.nisCode!, m.inhabitants2020 ?? 0, call.statisticsReferenceYear)}`,
      );
    }
  }
  await organisations.importStatistics(statistics.join('\n'), { fictional: true });
}
