// Package report writes gossipsim's report: it runs what the report needs
// through package experiments (the sweeps, the validation against the
// literature and, for the s3-2008 experiment, the replay of the S3 event of
// 20 July 2008 on its published clock) and writes report.md and
// report.html, figures beside them.
//
// The report's prose is the embedded template report.md.tmpl. It writes
// the report's source in light Markdown, from which one document is read:
// its figures and tables are numbered in the order they appear, and
// report.md and report.html are both rendered from it.
//
// Write holds the report directory's lock (experiments.LockDir), marks it
// incomplete until its last file is written, and resumes a report that
// failed or was interrupted (Options.Resume).
package report

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"text/template"

	"github.com/gossipsim/gossipsim/experiments"
	"github.com/gossipsim/gossipsim/plots"
)

// Options says what a report covers and how big its runs are.
type Options struct {
	// Sweep is what the report runs: a named experiment or a scenario
	// file's sweep. The s3-2008 experiment gets the timeline replay and the
	// mitigations comparison.
	Sweep experiments.Sweep
	// Quick shrinks every run (fleet sizes, replicates) for a fast look; the
	// report says so.
	Quick bool
	// Workers runs in parallel (0: one per CPU).
	Workers int
	// Command is the exact command line that reproduces the report.
	Command string
	// Plot is the figure format and resolution.
	Plot plots.Options
	// Progress, if set, is told each stage as it starts.
	Progress func(stage string)
	// Resume finishes a report begun earlier in the directory: its sweeps
	// are resumed (recorded runs skipped, see experiments.SweepOptions.Resume)
	// and the replay's few runs run again. Without it, a directory holding
	// results of an earlier report is refused (experiments.ErrUnfinished,
	// bad input).
	Resume bool
}

// The report's documents in its directory.
const (
	// FileName is the report in Markdown.
	FileName = "report.md"
	// PageFileName is the report as one HTML page, the last file written.
	PageFileName = "report.html"
)

// Finished reports whether dir holds a finished report: report.md, and no
// incomplete mark (a report that failed half-way does not count, so that
// its rerun may finish it).
func Finished(dir string) bool {
	_, err := os.Lstat(filepath.Join(dir, FileName))
	return err == nil && !experiments.Incomplete(dir)
}

// partsOf are the sub-directories a report of sw writes, in order.
func partsOf(sw experiments.Sweep) []string {
	if sw.Experiment == "s3-2008" {
		return []string{"replay", "mitigations", "validation"}
	}
	return []string{"sweep", "validation"}
}

// Write runs what the report needs into dir and writes dir/report.md and
// dir/report.html (figures beside them, no external assets). It returns
// the files written. Cancelled by ctx, it returns an
// [*experiments.Unfinished] saying which parts are written, or ctx's error
// alone if nothing is; a rerun with opt.Resume finishes the report, byte
// for byte as if uninterrupted.
//
// Write holds dir's lock (experiments.LockDir) until it returns, refuses a
// dir that holds a finished report (Finished), and marks dir incomplete
// (experiments.IncompleteFileName) until report.html, its last file, is
// written. A dir so marked by an earlier report that failed or was
// interrupted is resumed as with opt.Resume (each sub-sweep's sweep.json
// must match), so the same command finishes the set; a dir holding parts of
// a report without that mark is refused unless opt.Resume is set.
func Write(ctx context.Context, dir string, opt Options) ([]string, error) {
	release, err := experiments.LockDir(dir)
	if err != nil {
		return nil, err
	}
	defer release()
	if Finished(dir) {
		return nil, experiments.BadInput(fmt.Errorf("out: %q holds a report already; choose another directory", dir))
	}
	resume := opt.Resume || experiments.Incomplete(dir)
	parts := &experiments.Parts{What: "report", Dir: dir, Names: partsOf(opt.Sweep)}
	if !resume {
		if err := parts.RefuseEarlierStart(FileName); err != nil {
			return nil, err
		}
	}
	if err := experiments.BeginOutputSet(dir, "gossipsim report"); err != nil {
		return nil, err
	}
	stage := func(s string) {
		if opt.Progress != nil {
			opt.Progress(s)
		}
	}
	w := &writer{dir: dir, opt: opt, imageExt: opt.Plot.Ext(), resume: resume}
	sw := opt.Sweep
	src := &source{Experiment: sw.Experiment, Version: experiments.Version, Quick: opt.Quick, Command: opt.Command,
		Provenance: experiments.ProvenanceOf(sw.Base, sw.Seed).Text()}
	if sw.Experiment == "s3-2008" {
		stage("replay of 20 July 2008")
		if err := parts.Do(ctx, "replay", func() (err error) { src.Replay, err = w.replay(ctx); return err }); err != nil {
			return w.files, err
		}
		stage("mitigations, replicated")
		if err := parts.Do(ctx, "mitigations", func() (err error) { src.Mitigations, err = w.mitigations(ctx); return err }); err != nil {
			return w.files, err
		}
	} else {
		stage("sweep " + sw.Experiment)
		if err := parts.Do(ctx, "sweep", func() (err error) { src.Sweep, err = w.sweep(ctx, sw); return err }); err != nil {
			return w.files, err
		}
	}
	stage("validation against the literature")
	if err := parts.Do(ctx, "validation", func() (err error) { src.Validation, err = w.validation(ctx); return err }); err != nil {
		return w.files, err
	}

	doc, err := src.document()
	if err != nil {
		return w.files, err
	}
	md := filepath.Join(dir, FileName)
	if err := experiments.WriteFileAtomic(md, doc.markdown()); err != nil {
		return w.files, err
	}
	html, err := doc.html()
	if err != nil {
		return w.files, err
	}
	page := filepath.Join(dir, PageFileName)
	if err := experiments.WriteFileAtomic(page, html); err != nil {
		return w.files, err
	}
	if err := experiments.EndOutputSet(dir); err != nil {
		return w.files, err
	}
	return append(w.files, md, page), nil
}

//go:embed report.md.tmpl
var textSource string

var text = template.Must(template.New("report.md.tmpl").Funcs(template.FuncMap{
	"table":    markdownTable,
	"join":     strings.Join,
	"grouped":  grouped,
	"indented": indentedJSON,
}).Parse(textSource))

// indentedJSON writes a JSON object one field to a line, so that a long
// one (the provenance) reads as a list and wraps in no column; text that
// is not JSON is returned as it is.
func indentedJSON(s string) string {
	var b bytes.Buffer
	if json.Indent(&b, []byte(s), "", "  ") != nil {
		return s
	}
	return b.String()
}

// markdownTable writes rows under a header of columns, each a string or a
// list of them, as a Markdown table.
func markdownTable(rows [][]string, columns ...any) (string, error) {
	var header []string
	for _, c := range columns {
		switch c := c.(type) {
		case string:
			header = append(header, c)
		case []string:
			header = append(header, c...)
		default:
			return "", fmt.Errorf("table: column %v is %T, not a string or a list of them", c, c)
		}
	}
	var b bytes.Buffer
	tableRows(&b, header, rows)
	return b.String(), nil
}

// document writes the report's source with its template and reads it.
func (s *source) document() (*document, error) {
	var b strings.Builder
	if err := text.Execute(&b, s); err != nil {
		return nil, fmt.Errorf("report text: %w", err)
	}
	doc, err := parseDocument(b.String())
	if err != nil {
		return nil, fmt.Errorf("report text: %w", err)
	}
	return doc, nil
}
