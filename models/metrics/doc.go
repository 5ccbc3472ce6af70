// Package metrics keeps the measurements of a run: counters updated as events
// happen, the wrong-view bookkeeping that is maintained incrementally (never by
// scanning every observer's view), the time series sampled at a fixed simulated
// interval and the end-of-run summary.
package metrics
