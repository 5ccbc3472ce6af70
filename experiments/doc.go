// Package experiments turns scenarios into runs and runs into records: the
// embedded default scenario, validation, running one scenario with progress and
// cancellation, and the result files (summary.json, timeseries.csv and the
// figures, PNG, SVG or PDF, drawn by package plots).
//
// Quick start:
//
//	sc := experiments.DefaultScenario()
//	sc.Model.Nodes = 200
//	res, err := experiments.Run(context.Background(), sc, nil)
//	// res.Summary is plain data: JSON-, CSV- and plot-ready.
package experiments
