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

export interface ApplicantDetail {
  id: number;
  nameNl: string;
  kind: ApplicantKind;
  callId: number;
  callNameNl: string;
  members: { localGovernmentId: number; nisCode: string | null; nameNl: string; lead: boolean }[];
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

  /** The applicants of a call; only those the local government takes part in when one is given. */
  async listForCall(callId: number, onlyForLocalGovernmentId?: number): Promise<ApplicantSummary[]> {
    const rows = await this.dataSource.query(
      `SELECT a.id, a.name_nl, a.kind, lead.name_nl AS lead_name_nl, count(m.local_government_id) AS member_count
         FROM applicant a
         JOIN local_government lead ON lead.id = a.lead_local_government_id
         LEFT JOIN applicant_member m ON m.applicant_id = a.id
        WHERE a.call_id = $1
          AND ($2::integer IS NULL OR EXISTS (SELECT 1 FROM applicant_member own WHERE own.applicant_id = a.id AND own.local_government_id = $2))
        GROUP BY a.id, lead.name_nl
        ORDER BY a.name_nl`,
      [callId, onlyForLocalGovernmentId ?? null],
    );
    return rows.map((r: Record<string, unknown>) => ({
      id: r.id as number,
      nameNl: r.name_nl as string,
      kind: r.kind as ApplicantKind,
      leadNameNl: r.lead_name_nl as string,
      memberCount: Number(r.member_count),
    }));
  }

  /** The local governments taking part in an applicant (whose officers may see it), or null if there is none. */
  async memberLocalGovernmentIds(applicantId: number): Promise<number[] | null> {
    const rows: { local_government_id: number | null }[] = await this.dataSource.query(
      `SELECT m.local_government_id FROM applicant a LEFT JOIN applicant_member m ON m.applicant_id = a.id WHERE a.id = $1`,
      [applicantId],
    );
    return rows.length === 0 ? null : rows.flatMap((row) => (row.local_government_id === null ? [] : [row.local_government_id]));
  }

  async get(applicantId: number): Promise<ApplicantDetail | null> {
    const [applicant] = await this.dataSource.query(
      `SELECT a.id, a.name_nl, a.kind, a.call_id, c.name_nl AS call_name_nl FROM applicant a JOIN call c ON c.id = a.call_id WHERE a.id = $1`,
      [applicantId],
    );
    if (!applicant) return null;
    const members = await this.dataSource.query(
      `SELECT lg.id, lg.nis_code, lg.name_nl, lg.id = a.lead_local_government_id AS lead
         FROM applicant_member m JOIN applicant a ON a.id = m.applicant_id JOIN local_government lg ON lg.id = m.local_government_id
        WHERE m.applicant_id = $1 ORDER BY lead DESC, lg.name_nl`,
      [applicantId],
    );
    return {
      id: applicant.id, nameNl: applicant.name_nl, kind: applicant.kind, callId: applicant.call_id, callNameNl: applicant.call_name_nl,
      members: members.map((m: Record<string, unknown>) => ({ localGovernmentId: m.id as number, nisCode: m.nis_code as string | null, nameNl: m.name_nl as string, lead: m.lead as boolean })),
    };
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
