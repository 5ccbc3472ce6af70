package inputfile

import (
	"bytes"
	"iter"
	"strings"
)

// Records yields the records of a simple comma-separated input file (a
// topology layout, a latency matrix, a churn trace): each line that is not
// blank and does not start with '#', numbered from 1 as an editor numbers
// it, split at commas (no quoting) with every field trimmed. Lines may end
// in "\n" or "\r\n" and may be of any length.
func Records(data []byte) iter.Seq2[int, []string] {
	return func(yield func(int, []string) bool) {
		for line := 1; len(data) > 0; line++ {
			text := data
			if k := bytes.IndexByte(data, '\n'); k >= 0 {
				text, data = data[:k], data[k+1:]
			} else {
				data = nil
			}
			s := strings.TrimSpace(string(text))
			if s == "" || strings.HasPrefix(s, "#") {
				continue
			}
			f := strings.Split(s, ",")
			for i := range f {
				f[i] = strings.TrimSpace(f[i])
			}
			if !yield(line, f) {
				return
			}
		}
	}
}
