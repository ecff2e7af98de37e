import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

export type LocalGovernmentKind = 'municipality' | 'vgc' | 'de-rand';

/** A lokaal bestuur: a Flemish municipality (the 300 of 2020, the 285 since 2025: docs/calls.md, municipal mergers), or VGC (Brussels) or vzw De Rand. */
@Entity('local_government')
export class LocalGovernment {
  @PrimaryGeneratedColumn() id: number;
  @Column({ name: 'nis_code', type: 'char', length: 5, nullable: true }) nisCode: string | null;
  @Column({ type: 'varchar' }) kind: LocalGovernmentKind;
  @Column({ name: 'name_nl', type: 'varchar' }) nameNl: string;
  @Column({ name: 'arrondissement_nl', type: 'varchar', nullable: true }) arrondissementNl: string | null;
  @Column({ name: 'province_nl', type: 'varchar', nullable: true }) provinceNl: string | null;
  @Column({ name: 'inhabitants_2020', type: 'integer', nullable: true }) inhabitants2020: number | null;
  /** One of the six facility municipalities of the Vlaamse Rand that apply with vzw De Rand. */
  @Column({ name: 'facility_municipality', type: 'boolean' }) facilityMunicipality: boolean;
  /** First day (YYYY-MM-DD); null for the municipalities of 2020, valid since before the platform's data. */
  @Column({ name: 'valid_from', type: 'date', nullable: true }) validFrom: string | null;
  /** Last day (YYYY-MM-DD); null while it exists. */
  @Column({ name: 'valid_until', type: 'date', nullable: true }) validUntil: string | null;
  /** The local government it merged into. */
  @Column({ name: 'successor_id', type: 'integer', nullable: true }) successorId: number | null;
}

@Entity('reference_region')
export class ReferenceRegion {
  @PrimaryGeneratedColumn() id: number;
  @Column({ type: 'varchar' }) code: string;
  @Column({ name: 'name_nl', type: 'varchar' }) nameNl: string;
  /** Demo data uses arrondissements as stand-in regions; those are flagged fictional. */
  @Column({ type: 'boolean' }) fictional: boolean;
}

@Entity('reference_region_member')
export class ReferenceRegionMember {
  @PrimaryColumn({ name: 'local_government_id', type: 'integer' }) localGovernmentId: number;
  @Column({ name: 'reference_region_id', type: 'integer' }) referenceRegionId: number;
}

/** Residents of non-EU origin of one local government, per reference year and origin definition. */
@Entity('origin_statistic')
export class OriginStatistic {
  @PrimaryColumn({ name: 'local_government_id', type: 'integer' }) localGovernmentId: number;
  @PrimaryColumn({ name: 'reference_year', type: 'smallint' }) referenceYear: number;
  @PrimaryColumn({ name: 'origin_definition', type: 'varchar' }) originDefinition: string;
  @Column({ type: 'integer' }) residents: number;
  @Column({ type: 'boolean' }) fictional: boolean;
}
