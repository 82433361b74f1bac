// Package ingest turns files into observations with provenance: published
// report text, spreadsheets, CSV and JSON, and the bundled sample data. It
// never touches the database; callers hand what it returns to the warehouse.
package ingest

import (
	"crypto/sha256"
	"encoding/hex"

	"fazhi"
)

// Bundle is what one reader produced from its input: the observations, the
// sources they cite and the orgs they refer to. It becomes one batch.
type Bundle struct {
	Method       fazhi.Method
	Note         string
	Orgs         []fazhi.Org
	Sources      []fazhi.Source
	Observations []fazhi.Observation
}

// SHA256 is the hex sha256 of data: a source's id.
func SHA256(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}
