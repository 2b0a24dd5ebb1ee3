-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateTable
CREATE TABLE "villages" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "kode_wilayah" TEXT,
    "district" TEXT,
    "regency" TEXT,
    "province" TEXT,
    "time_zone" TEXT NOT NULL,
    "latitude" DOUBLE PRECISION NOT NULL,
    "longitude" DOUBLE PRECISION NOT NULL,
    "elevation" DOUBLE PRECISION,

    CONSTRAINT "villages_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "sites" (
    "village_id" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "parent_id" TEXT,
    "crop" TEXT,
    "planting_date" TEXT,
    "area_m2" DOUBLE PRECISION,
    "field_capacity" DOUBLE PRECISION,
    "wilting_point" DOUBLE PRECISION,
    "root_depth" DOUBLE PRECISION,
    "water" TEXT,
    "purpose" TEXT,
    "temperature_min" DOUBLE PRECISION,
    "temperature_max" DOUBLE PRECISION,
    "humidity_min" DOUBLE PRECISION,
    "humidity_max" DOUBLE PRECISION,
    "measures" TEXT,

    CONSTRAINT "sites_pkey" PRIMARY KEY ("village_id","id")
);

-- CreateTable
CREATE TABLE "devices" (
    "id" TEXT NOT NULL,
    "village_id" TEXT NOT NULL,
    "site_id" TEXT,
    "family" TEXT NOT NULL,
    "interval_seconds" INTEGER NOT NULL,
    "sensor_height" DOUBLE PRECISION,
    "secret_hash" TEXT NOT NULL,
    "revoked" BOOLEAN NOT NULL DEFAULT false,
    "presence_state" TEXT NOT NULL DEFAULT 'unknown',
    "presence_at" BIGINT,

    CONSTRAINT "devices_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "edges" (
    "id" TEXT NOT NULL,
    "village_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "secret_hash" TEXT NOT NULL,
    "revoked" BOOLEAN NOT NULL DEFAULT false,
    "presence_state" TEXT NOT NULL DEFAULT 'unknown',
    "presence_at" BIGINT,

    CONSTRAINT "edges_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "alerts" (
    "id" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "village_id" TEXT NOT NULL,
    "edge_id" TEXT,
    "source" TEXT NOT NULL,
    "severity" TEXT NOT NULL,
    "rule_id" TEXT,
    "site_id" TEXT,
    "device_id" TEXT,
    "metric" TEXT,
    "value" DOUBLE PRECISION,
    "message_id" TEXT NOT NULL,
    "message_en" TEXT NOT NULL,
    "raised_at" BIGINT NOT NULL,
    "cleared_at" BIGINT,
    "status" TEXT NOT NULL DEFAULT 'open',
    "acknowledged_at" BIGINT,
    "acknowledged_by" TEXT,
    "resolved_at" BIGINT,
    "resolved_by" TEXT,

    CONSTRAINT "alerts_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "devices_village_id_site_id_idx" ON "devices"("village_id", "site_id");

-- CreateIndex
CREATE INDEX "edges_village_id_idx" ON "edges"("village_id");

-- CreateIndex
CREATE INDEX "alerts_village_id_status_raised_at_idx" ON "alerts"("village_id", "status", "raised_at");

-- CreateIndex
CREATE INDEX "alerts_key_raised_at_idx" ON "alerts"("key", "raised_at");

-- AddForeignKey
ALTER TABLE "sites" ADD CONSTRAINT "sites_village_id_fkey" FOREIGN KEY ("village_id") REFERENCES "villages"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sites" ADD CONSTRAINT "sites_village_id_parent_id_fkey" FOREIGN KEY ("village_id", "parent_id") REFERENCES "sites"("village_id", "id") ON DELETE RESTRICT ON UPDATE RESTRICT;

-- AddForeignKey
ALTER TABLE "devices" ADD CONSTRAINT "devices_village_id_fkey" FOREIGN KEY ("village_id") REFERENCES "villages"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "devices" ADD CONSTRAINT "devices_village_id_site_id_fkey" FOREIGN KEY ("village_id", "site_id") REFERENCES "sites"("village_id", "id") ON DELETE RESTRICT ON UPDATE RESTRICT;

-- AddForeignKey
ALTER TABLE "edges" ADD CONSTRAINT "edges_village_id_fkey" FOREIGN KEY ("village_id") REFERENCES "villages"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "alerts" ADD CONSTRAINT "alerts_village_id_fkey" FOREIGN KEY ("village_id") REFERENCES "villages"("id") ON DELETE CASCADE ON UPDATE CASCADE;

