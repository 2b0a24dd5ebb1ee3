import { CsrReportSummary, EcoRecord, EcoSettings, IrrigationRecord } from '@lumbung/schemas';
import { z } from 'zod';
import type {
  CsrReport as CsrReportRow,
  EcoRecord as EcoRecordRow,
  IrrigationEvent as IrrigationRow,
  PrismaClient,
} from '../../generated/prisma/sqlite/client.ts';
import type { EcoStore, StoredCsrReport } from './eco.ts';
import { compare, translate, valid } from './prisma-common.ts';

/** The agronomy and indicator records on Prisma (SQLite and PostgreSQL), sharing the registry's client. */
export class PrismaEco implements EcoStore {
  constructor(private readonly client: () => PrismaClient) {}

  async addIrrigation(r: IrrigationRecord): Promise<IrrigationRecord> {
    const v = valid(IrrigationRecord, r, 'irrigation');
    const row = await this.client()
      .irrigationEvent.create({ data: { ...v, createdAt: BigInt(v.createdAt) } })
      .catch(translate('irrigation', `irrigation ${v.id} exists`, `no village ${v.villageId}`));
    return toIrrigation(row);
  }

  async listIrrigation(
    villageId: string,
    q: { siteId?: string; from?: string; to?: string },
  ): Promise<IrrigationRecord[]> {
    const rows = await this.client().irrigationEvent.findMany({
      where: {
        villageId,
        ...(q.siteId ? { siteId: q.siteId } : {}),
        ...(q.from || q.to ? { date: { ...(q.from ? { gte: q.from } : {}), ...(q.to ? { lte: q.to } : {}) } } : {}),
      },
    });
    return rows.map(toIrrigation).sort((a, b) => compare(a.date, b.date) || a.createdAt - b.createdAt);
  }

  async addEcoRecord(r: EcoRecord): Promise<EcoRecord> {
    const v = valid(EcoRecord, r, 'eco record');
    const row = await this.client()
      .ecoRecord.create({ data: { ...v, createdAt: BigInt(v.createdAt) } })
      .catch(translate('eco record', `eco record ${v.id} exists`, `no village ${v.villageId}`));
    return toEcoRecord(row);
  }

  async listEcoRecords(villageId: string, q: { from?: string; to?: string }): Promise<EcoRecord[]> {
    const rows = await this.client().ecoRecord.findMany({
      where: {
        villageId,
        ...(q.from || q.to ? { date: { ...(q.from ? { gte: q.from } : {}), ...(q.to ? { lt: q.to } : {}) } } : {}),
      },
    });
    return rows.map(toEcoRecord).sort((a, b) => compare(a.date, b.date) || a.createdAt - b.createdAt);
  }

  async getEcoSettings(villageId: string): Promise<EcoSettings | undefined> {
    const row = await this.client().ecoSettings.findUnique({ where: { villageId } });
    return row
      ? {
          villageId: row.villageId,
          gridRegion: row.gridRegion,
          meterSources: z.record(z.string(), z.string()).parse(row.meterSources),
          csrPartnerName: row.csrPartnerName,
          csrProgrammeName: row.csrProgrammeName,
        }
      : undefined;
  }

  async putEcoSettings(s: EcoSettings): Promise<EcoSettings> {
    const v = valid(EcoSettings, s, 'eco settings');
    const data = {
      gridRegion: v.gridRegion,
      meterSources: v.meterSources,
      csrPartnerName: v.csrPartnerName,
      csrProgrammeName: v.csrProgrammeName,
    };
    await this.client()
      .ecoSettings.upsert({
        where: { villageId: v.villageId },
        create: { villageId: v.villageId, ...data },
        update: data,
      })
      .catch(translate('eco settings', 'eco settings conflict', `no village ${v.villageId}`));
    return v;
  }

  async addCsrReport(r: StoredCsrReport): Promise<StoredCsrReport> {
    const { inputs, ...summary } = r;
    const v = valid(CsrReportSummary, summary, 'CSR report');
    await this.client()
      .csrReport.create({
        data: {
          id: v.id,
          villageId: v.villageId,
          villageIds: v.villageIds,
          periodFrom: v.from,
          periodTo: v.to,
          generatedAt: BigInt(v.generatedAt),
          trigger: v.trigger,
          generatedBy: v.generatedBy,
          partnerName: v.partnerName,
          programmeName: v.programmeName,
          inputs: inputs as object,
          headline: v.headline,
        },
      })
      .catch(
        translate('CSR report', `a ${v.trigger} report of ${v.from}..${v.to} exists`, `no village ${v.villageId}`),
      );
    return { ...v, inputs };
  }

  async listCsrReports(villageId: string): Promise<CsrReportSummary[]> {
    const rows = await this.client().csrReport.findMany({ where: { villageId }, omit: { inputs: true } });
    return rows
      .map((r) => toSummary(r as CsrReportRow))
      .sort((a, b) => b.generatedAt - a.generatedAt || compare(a.id, b.id));
  }

  async getCsrReport(villageId: string, id: string): Promise<StoredCsrReport | undefined> {
    const row = await this.client().csrReport.findFirst({ where: { villageId, id } });
    return row ? { ...toSummary(row), inputs: row.inputs } : undefined;
  }
}

function toIrrigation(r: IrrigationRow): IrrigationRecord {
  return { ...r, createdAt: Number(r.createdAt) };
}

function toEcoRecord(r: EcoRecordRow): EcoRecord {
  return { ...r, kind: r.kind as EcoRecord['kind'], createdAt: Number(r.createdAt) };
}

function toSummary(r: Omit<CsrReportRow, 'inputs'>): CsrReportSummary {
  return {
    id: r.id,
    villageId: r.villageId,
    villageIds: z.array(z.string()).parse(r.villageIds),
    from: r.periodFrom,
    to: r.periodTo,
    generatedAt: Number(r.generatedAt),
    trigger: r.trigger as CsrReportSummary['trigger'],
    generatedBy: r.generatedBy,
    partnerName: r.partnerName,
    programmeName: r.programmeName,
    headline: CsrReportSummary.shape.headline.parse(r.headline),
  };
}
