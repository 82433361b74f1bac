package ingest_test

import "fmt"

// fmtSscanf reads a "start-end" location.
func fmtSscanf(loc string, start, end *int) (int, error) { return fmt.Sscanf(loc, "%d-%d", start, end) }
