import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { ApplicantKind } from './applicant.entities';

export interface ApplicantSummary {
  id: number;
  nameNl: string;
  kind: ApplicantKind;
  leadNameNl: string;
  memberCount: number;
}

export interface NewApplicant {
  callId: number;
  kind: ApplicantKind;
  nameNl: string;
  leadLocalGovernmentId: number;
  memberLocalGovernmentIds: number[];
}

@Injectable()
export class ApplicantsService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async listForCall(callId: number): Promise<ApplicantSummary[]> {
    const rows = await this.dataSource.query(
      `SELECT a.id, a.name_nl, a.kind, lead.name_nl AS lead_name_nl, count(m.local_government_id) AS member_count
         FROM applicant a
         JOIN local_government lead ON lead.id = a.lead_local_government_id
         LEFT JOIN applicant_member m ON m.applicant_id = a.id
        WHERE a.call_id = $1
        GROUP BY a.id, lead.name_nl
        ORDER BY a.name_nl`,
      [callId],
    );
    return rows.map((r: Record<string, unknown>) => ({
      id: r.id as number,
      nameNl: r.name_nl as string,
      kind: r.kind as ApplicantKind,
      leadNameNl: r.lead_name_nl as string,
      memberCount: Number(r.member_count),
    }));
  }

  /** Registers the applicant unless its lead already leads one in that call; the lead is a member too. */
  async createIfMissing(manager: EntityManager, applicant: NewApplicant): Promise<boolean> {
    const inserted: { id: number }[] = await manager.query(
      `INSERT INTO applicant (call_id, kind, name_nl, lead_local_government_id) VALUES ($1, $2, $3, $4)
       ON CONFLICT (call_id, lead_local_government_id) DO NOTHING RETURNING id`,
      [applicant.callId, applicant.kind, applicant.nameNl, applicant.leadLocalGovernmentId],
    );
    if (inserted.length === 0) return false;
    const members = [...new Set([applicant.leadLocalGovernmentId, ...applicant.memberLocalGovernmentIds])];
    for (const localGovernmentId of members) {
      await manager.query(`INSERT INTO applicant_member (applicant_id, call_id, local_government_id) VALUES ($1, $2, $3)`, [inserted[0].id, applicant.callId, localGovernmentId]);
    }
    return true;
  }
}
