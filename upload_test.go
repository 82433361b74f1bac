package fazhi

import (
	"slices"
	"testing"
)

func TestSortProblemsReadsTheFileTopToBottom(t *testing.T) {
	ps := []Problem{
		{File: "a.xlsx", Sheet: "填报表", Cell: "D12", Reason: "d12"},
		{File: "a.xlsx", Sheet: "填报表", Cell: "D7", Reason: "d7"},
		{File: "a.xlsx", Sheet: "填报表", Cell: "AA7", Reason: "aa7"},
		{File: "a.xlsx", Sheet: "填报表", Cell: "B7", Reason: "b7"},
		{File: "a.xlsx", Reason: "file"},
		{File: "a.xlsx", Sheet: "其他", Cell: "A2", Reason: "other"},
		{File: "a.csv", Line: 3, Reason: "l3"},
		{File: "a.csv", Line: 2, Reason: "l2"},
	}
	SortProblems(ps)
	var got []string
	for _, p := range ps {
		got = append(got, p.Reason)
	}
	want := []string{"file", "l2", "l3", "b7", "d7", "aa7", "d12", "other"}
	if !slices.Equal(got, want) {
		t.Errorf("order %v, want %v", got, want)
	}
}
