import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

/** A user account of a local government's officer, as other libs may see it (to mail them). */
export interface Officer {
  /** The user's id (their "Berichten"). */
  userId: number;
  email: string;
  displayName: string;
}

/** Read-only queries on app_user for other libs (the report reminders, four eyes' notices): who works where. */
@Injectable()
export class OfficersReadModel {
  /** The active municipal officers of these local governments, by address (case-insensitive). */
  async activeOfficers(manager: EntityManager, localGovernmentIds: number[]): Promise<Officer[]> {
    if (localGovernmentIds.length === 0) return [];
    const rows: { id: number; email: string; display_name: string }[] = await manager.query(
      `SELECT id, email, display_name FROM app_user
        WHERE role = 'municipal-officer' AND active AND local_government_id = ANY($1::integer[])
        ORDER BY lower(email)`,
      [localGovernmentIds],
    );
    return rows.map((r) => ({ userId: r.id, email: r.email, displayName: r.display_name }));
  }

  /** The active ABB reviewers, by address (case-insensitive): they hear of submissions and reports. */
  async activeReviewers(manager: EntityManager): Promise<Officer[]> {
    const rows: { id: number; email: string; display_name: string }[] = await manager.query(
      `SELECT id, email, display_name FROM app_user WHERE role = 'abb-reviewer' AND active ORDER BY lower(email)`,
    );
    return rows.map((r) => ({ userId: r.id, email: r.email, displayName: r.display_name }));
  }

  /** The active ABB people (reviewers and administrators), to tell them of a proposal that waits for a second person. */
  async activeAbbPeople(manager: EntityManager): Promise<(Officer & { id: number })[]> {
    const rows: { id: number; email: string; display_name: string }[] = await manager.query(
      `SELECT id, email, display_name FROM app_user WHERE role IN ('abb-reviewer', 'abb-administrator') AND active ORDER BY lower(email)`,
    );
    return rows.map((r) => ({ id: r.id, userId: r.id, email: r.email, displayName: r.display_name }));
  }
}
