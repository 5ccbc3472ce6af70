// Package metrics keeps the measurements of a run: counters updated as events
// happen, the wrong-view bookkeeping that is maintained incrementally (never by
// scanning every observer's view), the time series sampled at a fixed simulated
// interval and the end-of-run summary.
//
// A fleet with a topology or a fault schedule adds FaultSummary (faults.go):
// the time from the schedule's heal until every view is right (WatchHeal),
// exact from the same incremental count, and false failures split by zone
// (SplitByZone, FalseFailure). The per-zone wrong-view fraction of a sample
// (Sample.WrongViewFractionByZone) is the one measure a model computes by
// scanning its views, once per sample and only when the fleet has zones
// (SampleZones).
package metrics
