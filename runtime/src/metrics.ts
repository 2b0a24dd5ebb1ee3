/** Prometheus metrics: each component creates its own Registry, so components in one process keep separate /metrics. */
export { Counter, Gauge, Histogram, Registry } from 'prom-client';
