-- CreateTable
CREATE TABLE "products" (
    "village_id" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "name_en" TEXT,
    "category" TEXT NOT NULL,
    "unit" TEXT NOT NULL,
    "gtin" TEXT,
    "shelf_life_days" INTEGER NOT NULL,
    "temperature_min" DOUBLE PRECISION,
    "temperature_max" DOUBLE PRECISION,
    "humidity_min" DOUBLE PRECISION,
    "humidity_max" DOUBLE PRECISION,
    "aql" DOUBLE PRECISION NOT NULL,
    "min_remaining_shelf_life_days" INTEGER NOT NULL,

    CONSTRAINT "products_pkey" PRIMARY KEY ("village_id","id")
);

-- CreateTable
CREATE TABLE "cooperatives" (
    "village_id" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "brand" TEXT,
    "publish" JSONB NOT NULL,

    CONSTRAINT "cooperatives_pkey" PRIMARY KEY ("village_id","id")
);

-- CreateTable
CREATE TABLE "producers" (
    "village_id" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "cooperative_id" TEXT,
    "home_village_id" TEXT,
    "home_village_name" TEXT NOT NULL,
    "story" TEXT,
    "photo_url" TEXT,
    "user_id" TEXT,
    "capacities" JSONB NOT NULL,

    CONSTRAINT "producers_pkey" PRIMARY KEY ("village_id","id")
);

-- CreateTable
CREATE TABLE "lots" (
    "village_id" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "product_id" TEXT NOT NULL,
    "producer_id" TEXT NOT NULL,
    "origin_site_id" TEXT,
    "origin_note" TEXT,
    "quantity" DOUBLE PRECISION NOT NULL,
    "unit" TEXT NOT NULL,
    "produced_on" TEXT NOT NULL,
    "expires_on" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'available',
    "hold_reason" TEXT,
    "order_id" TEXT,
    "packaging" TEXT NOT NULL DEFAULT 'standard',
    "created_at" BIGINT NOT NULL,

    CONSTRAINT "lots_pkey" PRIMARY KEY ("village_id","id")
);

-- CreateTable
CREATE TABLE "lot_inputs" (
    "village_id" TEXT NOT NULL,
    "lot_id" TEXT NOT NULL,
    "input_lot_id" TEXT NOT NULL,
    "quantity" DOUBLE PRECISION NOT NULL,

    CONSTRAINT "lot_inputs_pkey" PRIMARY KEY ("village_id","lot_id","input_lot_id")
);

-- CreateTable
CREATE TABLE "stock_movements" (
    "id" TEXT NOT NULL,
    "village_id" TEXT NOT NULL,
    "lot_id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "quantity" DOUBLE PRECISION NOT NULL,
    "from_room_id" TEXT,
    "to_room_id" TEXT,
    "reason" TEXT,
    "shipment_id" TEXT,
    "at" BIGINT NOT NULL,
    "actor_user_id" TEXT,
    "actor_label" TEXT NOT NULL,

    CONSTRAINT "stock_movements_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "bulk_orders" (
    "village_id" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "cooperative_id" TEXT NOT NULL,
    "buyer_name" TEXT NOT NULL,
    "buyer_user_id" TEXT,
    "product_id" TEXT NOT NULL,
    "quantity" INTEGER NOT NULL,
    "due_date" TEXT NOT NULL,
    "price_per_unit" DOUBLE PRECISION NOT NULL,
    "min_lot_size" INTEGER NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'open',
    "created_at" BIGINT NOT NULL,
    "allocations" JSONB NOT NULL,

    CONSTRAINT "bulk_orders_pkey" PRIMARY KEY ("village_id","id")
);

-- CreateTable
CREATE TABLE "inspections" (
    "id" TEXT NOT NULL,
    "village_id" TEXT NOT NULL,
    "lot_id" TEXT NOT NULL,
    "at" BIGINT NOT NULL,
    "inspector" TEXT NOT NULL,
    "lot_size" DOUBLE PRECISION NOT NULL,
    "level" TEXT NOT NULL,
    "aql" DOUBLE PRECISION NOT NULL,
    "code_letter" TEXT NOT NULL,
    "sample_size" INTEGER NOT NULL,
    "accept_number" INTEGER NOT NULL,
    "reject_number" INTEGER NOT NULL,
    "defects" INTEGER NOT NULL,
    "result" TEXT NOT NULL,
    "notes" TEXT,

    CONSTRAINT "inspections_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "shipments" (
    "village_id" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "order_id" TEXT NOT NULL,
    "destination" TEXT,
    "status" TEXT NOT NULL DEFAULT 'preparing',
    "created_at" BIGINT NOT NULL,
    "dispatched_at" BIGINT,
    "delivered_at" BIGINT,

    CONSTRAINT "shipments_pkey" PRIMARY KEY ("village_id","id")
);

-- CreateIndex
CREATE INDEX "lots_village_id_product_id_idx" ON "lots"("village_id", "product_id");

-- CreateIndex
CREATE INDEX "lots_village_id_order_id_idx" ON "lots"("village_id", "order_id");

-- CreateIndex
CREATE INDEX "lot_inputs_village_id_input_lot_id_idx" ON "lot_inputs"("village_id", "input_lot_id");

-- CreateIndex
CREATE INDEX "stock_movements_village_id_at_idx" ON "stock_movements"("village_id", "at");

-- CreateIndex
CREATE INDEX "stock_movements_village_id_lot_id_idx" ON "stock_movements"("village_id", "lot_id");

-- CreateIndex
CREATE INDEX "inspections_village_id_lot_id_idx" ON "inspections"("village_id", "lot_id");

-- CreateIndex
CREATE INDEX "shipments_village_id_order_id_idx" ON "shipments"("village_id", "order_id");

-- AddForeignKey
ALTER TABLE "products" ADD CONSTRAINT "products_village_id_fkey" FOREIGN KEY ("village_id") REFERENCES "villages"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "cooperatives" ADD CONSTRAINT "cooperatives_village_id_fkey" FOREIGN KEY ("village_id") REFERENCES "villages"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "producers" ADD CONSTRAINT "producers_village_id_fkey" FOREIGN KEY ("village_id") REFERENCES "villages"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "lots" ADD CONSTRAINT "lots_village_id_fkey" FOREIGN KEY ("village_id") REFERENCES "villages"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "lot_inputs" ADD CONSTRAINT "lot_inputs_village_id_fkey" FOREIGN KEY ("village_id") REFERENCES "villages"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "stock_movements" ADD CONSTRAINT "stock_movements_village_id_fkey" FOREIGN KEY ("village_id") REFERENCES "villages"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "bulk_orders" ADD CONSTRAINT "bulk_orders_village_id_fkey" FOREIGN KEY ("village_id") REFERENCES "villages"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "inspections" ADD CONSTRAINT "inspections_village_id_fkey" FOREIGN KEY ("village_id") REFERENCES "villages"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "shipments" ADD CONSTRAINT "shipments_village_id_fkey" FOREIGN KEY ("village_id") REFERENCES "villages"("id") ON DELETE CASCADE ON UPDATE CASCADE;

