package plots

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
)

var pngSignature = []byte("\x89PNG\r\n\x1a\n")

// withTextChunk returns the PNG png with a tEXt chunk (keyword, text) added
// right after its IHDR chunk. PNG readers show tEXt as metadata
// (`exiftool`, `identify -verbose`, Python's PIL `Image.open(f).text`); the
// image is unchanged. The keyword is 1-79 Latin-1 characters; text must not
// contain a NUL byte.
func withTextChunk(png []byte, keyword, text string) ([]byte, error) {
	if !bytes.HasPrefix(png, pngSignature) || len(png) < len(pngSignature)+25 ||
		string(png[12:16]) != "IHDR" {
		return nil, errors.New("PNG text chunk: not a PNG")
	}
	if keyword == "" || len(keyword) > 79 || bytes.IndexByte([]byte(keyword+text), 0) >= 0 {
		return nil, errors.New("PNG text chunk: bad keyword or text")
	}
	ihdrEnd := 8 + 8 + int(binary.BigEndian.Uint32(png[8:12])) + 4
	data := append([]byte(keyword), 0)
	data = append(data, text...)
	chunk := binary.BigEndian.AppendUint32(nil, uint32(len(data)))
	chunk = append(chunk, "tEXt"...)
	chunk = append(chunk, data...)
	chunk = binary.BigEndian.AppendUint32(chunk, crc32.ChecksumIEEE(chunk[4:]))
	out := make([]byte, 0, len(png)+len(chunk))
	out = append(out, png[:ihdrEnd]...)
	out = append(out, chunk...)
	return append(out, png[ihdrEnd:]...), nil
}

// PNGText returns the text of the tEXt chunks of a PNG, by keyword.
func PNGText(png []byte) (map[string]string, error) {
	if !bytes.HasPrefix(png, pngSignature) {
		return nil, errors.New("not a PNG")
	}
	out := map[string]string{}
	for i := len(pngSignature); i+12 <= len(png); {
		n := int(binary.BigEndian.Uint32(png[i : i+4]))
		if n < 0 || i+12+n > len(png) {
			return nil, errors.New("PNG: truncated chunk")
		}
		typ, data := string(png[i+4:i+8]), png[i+8:i+8+n]
		if typ == "tEXt" {
			if k, v, ok := bytes.Cut(data, []byte{0}); ok {
				out[string(k)] = string(v)
			}
		}
		if typ == "IEND" {
			break
		}
		i += 12 + n
	}
	return out, nil
}
