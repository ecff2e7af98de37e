import { Global, Module } from '@nestjs/common';
import { AuditRepository } from './audit.repository';
import { AuditService } from './audit.service';
import { SecurityLog } from './security-log.service';

@Global()
@Module({ providers: [AuditRepository, AuditService, SecurityLog], exports: [AuditService, SecurityLog] })
export class AuditModule {}
