import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { PlatformConfig, startupWarnings } from '@ps/config';
import { describeDatabase } from '@ps/database';
import { DemoStoryService, SetupService } from '@ps/setup';

/** After the migrations (run by TypeORM at connect): reference data, then demo data if asked. */
@Injectable()
export class StartupService implements OnApplicationBootstrap {
  private readonly logger = new Logger('Startup');

  constructor(
    private readonly config: PlatformConfig,
    private readonly setup: SetupService,
    private readonly story: DemoStoryService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.logger.log(`Database: ${describeDatabase(this.config)}`);
    for (const warning of startupWarnings(this.config)) this.logger.warn(warning);
    if (!this.config.MIGRATIONS_RUN) return;
    await this.setup.loadReferenceData();
    if (!this.config.loadDemoData) return;
    if (this.config.tellDemoStory) await this.story.tell();
    const credentials = await this.setup.loadDemoData();
    if (this.config.NODE_ENV === 'development') {
      this.logger.log(
        `Demo data loaded (fictional). Demo accounts:\n${credentials.map((c) => `  ${c.role.padEnd(24)} ${c.email.padEnd(26)} ${c.password}`).join('\n')}`,
      );
    }
  }
}
