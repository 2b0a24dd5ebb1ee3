-- AlterTable
ALTER TABLE "sites" ADD COLUMN "repeat_every_days" INTEGER;

-- AlterTable
ALTER TABLE "products" ADD COLUMN "unit_weight_kg" REAL;

-- CreateTable
CREATE TABLE "irrigation_events" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "village_id" TEXT NOT NULL,
    "site_id" TEXT NOT NULL,
    "date" TEXT NOT NULL,
    "mm" REAL NOT NULL,
    "note" TEXT,
    "created_at" BIGINT NOT NULL,
    "created_by" TEXT NOT NULL,
    CONSTRAINT "irrigation_events_village_id_fkey" FOREIGN KEY ("village_id") REFERENCES "villages" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "eco_records" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "village_id" TEXT NOT NULL,
    "date" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "quantity" REAL NOT NULL,
    "note" TEXT,
    "created_at" BIGINT NOT NULL,
    "created_by" TEXT NOT NULL,
    CONSTRAINT "eco_records_village_id_fkey" FOREIGN KEY ("village_id") REFERENCES "villages" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "eco_settings" (
    "village_id" TEXT NOT NULL PRIMARY KEY,
    "grid_region" TEXT NOT NULL,
    "meter_sources" JSONB NOT NULL,
    "csr_partner_name" TEXT,
    "csr_programme_name" TEXT,
    CONSTRAINT "eco_settings_village_id_fkey" FOREIGN KEY ("village_id") REFERENCES "villages" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "csr_reports" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "village_id" TEXT NOT NULL,
    "village_ids" JSONB NOT NULL,
    "period_from" TEXT NOT NULL,
    "period_to" TEXT NOT NULL,
    "generated_at" BIGINT NOT NULL,
    "trigger" TEXT NOT NULL,
    "generated_by" TEXT NOT NULL,
    "partner_name" TEXT NOT NULL,
    "programme_name" TEXT NOT NULL,
    "inputs" JSONB NOT NULL,
    "headline" JSONB NOT NULL,
    CONSTRAINT "csr_reports_village_id_fkey" FOREIGN KEY ("village_id") REFERENCES "villages" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "irrigation_events_village_id_site_id_date_idx" ON "irrigation_events"("village_id", "site_id", "date");

-- CreateIndex
CREATE INDEX "eco_records_village_id_date_idx" ON "eco_records"("village_id", "date");

-- CreateIndex
CREATE INDEX "csr_reports_village_id_generated_at_idx" ON "csr_reports"("village_id", "generated_at");

-- CreateIndex
CREATE UNIQUE INDEX "csr_reports_village_id_period_from_period_to_trigger_key" ON "csr_reports"("village_id", "period_from", "period_to", "trigger");

