import type { CsrReportSummary, EcoRecord, EcoSettings, IrrigationRecord } from '@lumbung/schemas';

/** A stored CSR report: its summary and the inputs the PDF and CSV are rendered from (JSON). */
export interface StoredCsrReport extends CsrReportSummary {
  inputs: unknown;
}

/**
 * Records of the agronomy and environmental-indicator features (issue 6), on the registry's database:
 * irrigation applied to plots, figures entered by hand, each village's indicator settings, generated CSR
 * reports. One port, the Prisma adapter for SQLite and PostgreSQL (prisma-eco.ts).
 */
export interface EcoStore {
  addIrrigation(r: IrrigationRecord): Promise<IrrigationRecord>;
  /** Oldest first; `from`/`to` local dates, inclusive. */
  listIrrigation(villageId: string, q: { siteId?: string; from?: string; to?: string }): Promise<IrrigationRecord[]>;

  addEcoRecord(r: EcoRecord): Promise<EcoRecord>;
  /** Oldest first; `from` inclusive, `to` exclusive. */
  listEcoRecords(villageId: string, q: { from?: string; to?: string }): Promise<EcoRecord[]>;

  getEcoSettings(villageId: string): Promise<EcoSettings | undefined>;
  putEcoSettings(s: EcoSettings): Promise<EcoSettings>;

  /** `conflict` when a report of the same village, period and trigger exists (the schedule makes one each). */
  addCsrReport(r: StoredCsrReport): Promise<StoredCsrReport>;
  /** Newest first, without inputs. */
  listCsrReports(villageId: string): Promise<CsrReportSummary[]>;
  getCsrReport(villageId: string, id: string): Promise<StoredCsrReport | undefined>;
}
