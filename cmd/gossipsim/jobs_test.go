package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// k8sJob is the part of a Kubernetes batch/v1 Job that
// experiments/jobs/k8s-indexed-job.yaml uses; decoding with KnownFields
// refuses any other field, so a misspelt key (completionmode) fails.
type k8sJob struct {
	APIVersion string `yaml:"apiVersion"`
	Kind       string `yaml:"kind"`
	Metadata   struct {
		Name string `yaml:"name"`
	} `yaml:"metadata"`
	Spec struct {
		CompletionMode string `yaml:"completionMode"`
		Completions    int    `yaml:"completions"`
		Parallelism    int    `yaml:"parallelism"`
		Suspend        bool   `yaml:"suspend"`
		BackoffLimit   int    `yaml:"backoffLimit"`
		Template       struct {
			Spec struct {
				RestartPolicy string `yaml:"restartPolicy"`
				Containers    []struct {
					Name         string         `yaml:"name"`
					Image        string         `yaml:"image"`
					Resources    map[string]any `yaml:"resources"`
					Command      []string       `yaml:"command"`
					Args         []string       `yaml:"args"`
					VolumeMounts []struct {
						Name      string `yaml:"name"`
						MountPath string `yaml:"mountPath"`
					} `yaml:"volumeMounts"`
				} `yaml:"containers"`
				Volumes []struct {
					Name string `yaml:"name"`
					PVC  struct {
						ClaimName string `yaml:"claimName"`
					} `yaml:"persistentVolumeClaim"`
				} `yaml:"volumes"`
			} `yaml:"spec"`
		} `yaml:"template"`
	} `yaml:"spec"`
}

// TestK8sIndexedJob: the Kubernetes example is valid YAML holding an
// Indexed Job whose pods each run one shard, and a suspended merge Job of
// exactly those shards. Each pod's shell command is run with its
// JOB_COMPLETION_INDEX and a stand-in gossipsim that prints its arguments:
// pod k runs --shard k+1/completions into shards/k+1, and the merge reads
// shards 1 to completions on the same claim, mounted at the same place.
func TestK8sIndexedJob(t *testing.T) {
	src, err := os.ReadFile(filepath.Join("..", "..", "experiments", "jobs", "k8s-indexed-job.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var jobs []k8sJob
	dec := yaml.NewDecoder(bytes.NewReader(src))
	dec.KnownFields(true)
	for {
		var j k8sJob
		if err := dec.Decode(&j); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			t.Fatalf("k8s-indexed-job.yaml, document %d: %v", len(jobs)+1, err)
		}
		jobs = append(jobs, j)
	}
	if len(jobs) != 2 {
		t.Fatalf("%d documents, want 2 (the sweep Job and the merge Job)", len(jobs))
	}
	sweep, merge := jobs[0], jobs[1]
	for _, j := range jobs {
		if j.APIVersion != "batch/v1" || j.Kind != "Job" || len(j.Spec.Template.Spec.Containers) != 1 {
			t.Fatalf("%s: %s %s with %d containers, want one batch/v1 Job container", j.Metadata.Name, j.APIVersion, j.Kind, len(j.Spec.Template.Spec.Containers))
		}
		if j.Spec.Template.Spec.RestartPolicy != "Never" {
			t.Errorf("%s: restartPolicy %q, want Never", j.Metadata.Name, j.Spec.Template.Spec.RestartPolicy)
		}
	}
	s := sweep.Spec
	n := s.Completions
	if s.CompletionMode != "Indexed" || n < 2 || s.Parallelism < 1 || s.Parallelism > n || s.Suspend {
		t.Fatalf("sweep Job: completionMode %q, completions %d, parallelism %d, suspend %v; want an Indexed Job of at least 2 shards, running now",
			s.CompletionMode, n, s.Parallelism, s.Suspend)
	}
	if !merge.Spec.Suspend {
		t.Errorf("merge Job is not suspended: it would start before the shards are done")
	}
	mount := func(j k8sJob) string {
		c, v := j.Spec.Template.Spec.Containers[0], j.Spec.Template.Spec.Volumes
		if len(c.VolumeMounts) != 1 || len(v) != 1 || c.VolumeMounts[0].Name != v[0].Name || v[0].PVC.ClaimName == "" {
			t.Fatalf("%s: want one volume, a persistentVolumeClaim, mounted once", j.Metadata.Name)
		}
		return v[0].PVC.ClaimName + ":" + c.VolumeMounts[0].MountPath
	}
	if a, b := mount(sweep), mount(merge); a != b {
		t.Errorf("sweep mounts %s, merge %s: want the same claim at the same path", a, b)
	}

	// Each pod's command, with a gossipsim that prints its arguments.
	bin := t.TempDir()
	if err := os.WriteFile(filepath.Join(bin, "gossipsim"), []byte("#!/bin/sh\nprintf '%s\\n' \"$@\"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	c := sweep.Spec.Template.Spec.Containers[0]
	if len(c.Command) == 0 {
		t.Fatal("sweep container has no command")
	}
	var shardDirs []string
	for k := 0; k < n; k++ {
		cmd := exec.Command(c.Command[0], append(c.Command[1:], c.Args...)...)
		cmd.Env = append(os.Environ(), "PATH="+bin+":"+os.Getenv("PATH"), fmt.Sprintf("JOB_COMPLETION_INDEX=%d", k))
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("pod %d: %v", k, err)
		}
		args := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
		if len(args) == 0 || args[0] != "sweep" {
			t.Fatalf("pod %d runs gossipsim %q, want sweep", k, args)
		}
		flag := func(name string) string {
			i := slices.Index(args, name)
			if i < 0 || i+1 >= len(args) {
				t.Fatalf("pod %d: no %s in %q", k, name, args)
			}
			return args[i+1]
		}
		if got, want := flag("--shard"), fmt.Sprintf("%d/%d", k+1, n); got != want {
			t.Errorf("pod %d: --shard %s, want %s", k, got, want)
		}
		shardDirs = append(shardDirs, flag("--out"))
	}
	if d := shardDirs[0]; filepath.Base(d) != "1" {
		t.Errorf("pod 0 writes %s, want a directory named 1", d)
	}
	m := merge.Spec.Template.Spec.Containers[0]
	margs := append(slices.Clone(m.Command), m.Args...)
	want := append(append([]string{"gossipsim", "merge"}, shardDirs...), "--out", filepath.Dir(filepath.Dir(shardDirs[0])))
	if !slices.Equal(margs, want) {
		t.Errorf("merge runs %q, want %q", margs, want)
	}
}
