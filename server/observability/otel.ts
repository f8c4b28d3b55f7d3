import { metrics } from "@opentelemetry/api";
import { metricsRecorder } from "./metrics";

/** The standard variables (OTLP/HTTP): any one of them switches the export on. */
export function otlpMetricsConfigured(environment: Record<string, string | undefined> = process.env): boolean {
  return !!(environment.OTEL_EXPORTER_OTLP_ENDPOINT || environment.OTEL_EXPORTER_OTLP_METRICS_ENDPOINT);
}

export interface OtlpMetrics {
  /** Sends what was recorded now (tests; a process about to stop). */
  forceFlush(): Promise<void>;
  shutdown(): Promise<void>;
}

/**
 * With OTEL_EXPORTER_OTLP_(METRICS_)ENDPOINT set, registers a meter provider that exports `rc.operation.duration`
 * over OTLP/HTTP every OTEL_METRIC_EXPORT_INTERVAL ms (default 60 s), to whatever the deployment runs (an
 * OpenTelemetry collector, Grafana, Datadog, New Relic, Sentry...). The exporter reads the other standard variables
 * itself (OTEL_EXPORTER_OTLP_HEADERS, ..._TIMEOUT). Without them nothing is loaded and recording stays a no-op.
 */
export async function startOtlpMetrics(environment: Record<string, string | undefined> = process.env): Promise<OtlpMetrics | null> {
  if (!otlpMetricsConfigured(environment)) return null;
  const [{ MeterProvider, PeriodicExportingMetricReader }, { OTLPMetricExporter }, { resourceFromAttributes }] = await Promise.all([
    import("@opentelemetry/sdk-metrics"),
    import("@opentelemetry/exporter-metrics-otlp-http"),
    import("@opentelemetry/resources"),
  ]);
  const interval = Number(environment.OTEL_METRIC_EXPORT_INTERVAL) || 60_000;
  const provider = new MeterProvider({
    resource: resourceFromAttributes({ "service.name": environment.OTEL_SERVICE_NAME || "restaurant-checklist" }),
    readers: [new PeriodicExportingMetricReader({ exporter: new OTLPMetricExporter(), exportIntervalMillis: interval, exportTimeoutMillis: Math.min(30_000, interval) })],
  });
  metrics.setGlobalMeterProvider(provider);
  metricsRecorder().resetInstruments();
  return provider;
}
