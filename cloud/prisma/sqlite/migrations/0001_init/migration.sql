-- CreateTable
CREATE TABLE "villages" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "kode_wilayah" TEXT,
    "district" TEXT,
    "regency" TEXT,
    "province" TEXT,
    "time_zone" TEXT NOT NULL,
    "latitude" REAL NOT NULL,
    "longitude" REAL NOT NULL,
    "elevation" REAL
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
    "area_m2" REAL,
    "field_capacity" REAL,
    "wilting_point" REAL,
    "root_depth" REAL,
    "water" TEXT,
    "purpose" TEXT,
    "temperature_min" REAL,
    "temperature_max" REAL,
    "humidity_min" REAL,
    "humidity_max" REAL,
    "measures" TEXT,

    PRIMARY KEY ("village_id", "id"),
    CONSTRAINT "sites_village_id_fkey" FOREIGN KEY ("village_id") REFERENCES "villages" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "sites_village_id_parent_id_fkey" FOREIGN KEY ("village_id", "parent_id") REFERENCES "sites" ("village_id", "id") ON DELETE RESTRICT ON UPDATE RESTRICT
);

-- CreateTable
CREATE TABLE "devices" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "village_id" TEXT NOT NULL,
    "site_id" TEXT,
    "family" TEXT NOT NULL,
    "interval_seconds" INTEGER NOT NULL,
    "sensor_height" REAL,
    "secret_hash" TEXT NOT NULL,
    "revoked" BOOLEAN NOT NULL DEFAULT false,
    "presence_state" TEXT NOT NULL DEFAULT 'unknown',
    "presence_at" BIGINT,
    CONSTRAINT "devices_village_id_fkey" FOREIGN KEY ("village_id") REFERENCES "villages" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "devices_village_id_site_id_fkey" FOREIGN KEY ("village_id", "site_id") REFERENCES "sites" ("village_id", "id") ON DELETE RESTRICT ON UPDATE RESTRICT
);

-- CreateTable
CREATE TABLE "edges" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "village_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "secret_hash" TEXT NOT NULL,
    "revoked" BOOLEAN NOT NULL DEFAULT false,
    "presence_state" TEXT NOT NULL DEFAULT 'unknown',
    "presence_at" BIGINT,
    CONSTRAINT "edges_village_id_fkey" FOREIGN KEY ("village_id") REFERENCES "villages" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "alerts" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "key" TEXT NOT NULL,
    "village_id" TEXT NOT NULL,
    "edge_id" TEXT,
    "source" TEXT NOT NULL,
    "severity" TEXT NOT NULL,
    "rule_id" TEXT,
    "site_id" TEXT,
    "device_id" TEXT,
    "metric" TEXT,
    "value" REAL,
    "message_id" TEXT NOT NULL,
    "message_en" TEXT NOT NULL,
    "raised_at" BIGINT NOT NULL,
    "cleared_at" BIGINT,
    "status" TEXT NOT NULL DEFAULT 'open',
    "acknowledged_at" BIGINT,
    "acknowledged_by" TEXT,
    "resolved_at" BIGINT,
    "resolved_by" TEXT,
    CONSTRAINT "alerts_village_id_fkey" FOREIGN KEY ("village_id") REFERENCES "villages" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "devices_village_id_site_id_idx" ON "devices"("village_id", "site_id");

-- CreateIndex
CREATE INDEX "edges_village_id_idx" ON "edges"("village_id");

-- CreateIndex
CREATE INDEX "alerts_village_id_status_raised_at_idx" ON "alerts"("village_id", "status", "raised_at");

-- CreateIndex
CREATE INDEX "alerts_key_raised_at_idx" ON "alerts"("key", "raised_at");

