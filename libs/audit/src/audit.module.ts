import { Global, Module } from '@nestjs/common';
import { AuditService } from './audit.service';
import { SecurityLog } from './security-log.service';

@Global()
@Module({ providers: [AuditService, SecurityLog], exports: [AuditService, SecurityLog] })
export class AuditModule {}
