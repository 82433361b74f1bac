// Package fazhi holds the domain of 法治指标看板: the organisations that report,
// the indicator catalogue, the observations they report, and where each
// observation came from. It has no dependencies beyond the standard library;
// storage, ingestion and presentation live in their own packages.
package fazhi

import "time"

// Org kinds form the reporting hierarchy province → city → district/county → bureau.
const (
	OrgProvince = "province"
	OrgCity     = "city"
	OrgDistrict = "district"
	OrgBureau   = "bureau"
)

// Org is a reporting unit or one of the regions above it.
type Org struct {
	Code       string `json:"code"`
	Name       string `json:"name"`      // short name, e.g. 教育局
	FullName   string `json:"full_name"` // e.g. 张家港市教育局
	Kind       string `json:"kind"`      // OrgProvince … OrgBureau
	ParentCode string `json:"parent_code,omitempty"`
	// BureauType groups like bureaus across regions (教育, 公安, 司法 …) so that
	// every 教育局 of a province can be compared.
	BureauType string `json:"bureau_type,omitempty"`
	// Region is the full name of the parent region, filled by queries.
	Region string `json:"region,omitempty"`
}

// Status of an observation: only confirmed figures count in dashboards.
type Status string

const (
	StatusConfirmed Status = "confirmed"
	StatusPending   Status = "pending"
	StatusRejected  Status = "rejected"
)

// Label is the Chinese label shown for a status.
func (s Status) Label() string {
	switch s {
	case StatusConfirmed:
		return "已确认"
	case StatusPending:
		return "待审核"
	case StatusRejected:
		return "已驳回"
	}
	return string(s)
}

// Method says how a figure entered the warehouse.
type Method string

const (
	MethodUpload    Method = "upload"    // a bureau's spreadsheet, CSV or JSON
	MethodExtracted Method = "extracted" // read by the extractor from report text
	MethodManual    Method = "manual"    // typed in by an analyst from a document
	MethodSample    Method = "sample"    // generated demonstration data (示例数据)
)

// Label is the Chinese label shown for a method.
func (m Method) Label() string {
	switch m {
	case MethodUpload:
		return "填报上传"
	case MethodExtracted:
		return "报告抽取"
	case MethodManual:
		return "人工录入"
	case MethodSample:
		return "示例数据"
	}
	return string(m)
}

// Observation is one figure: an org's value of an indicator for a year, with
// the provenance that lets a reader go back to where it was stated.
type Observation struct {
	OrgCode       string  `json:"org"`
	Year          int     `json:"year"`
	IndicatorCode string  `json:"indicator"`
	Value         float64 `json:"value"`
	Unit          string  `json:"unit"`
	// Qualifier keeps the approximation the source used: 余, 约, 近, 超过, 不少于.
	Qualifier string `json:"qualifier,omitempty"`
	Status    Status `json:"status"`
	Method    Method `json:"method"`
	SourceID  string `json:"source,omitempty"` // Source.ID (sha256)
	BatchID   string `json:"batch,omitempty"`
	// Quote is the exact text of the source that states the figure; for an
	// uploaded sheet it is the cell's text. Location says where it stands:
	// byte offsets "start-end" in a document, or "Sheet!B7" / "line 12" in a file.
	Quote    string `json:"quote,omitempty"`
	Location string `json:"location,omitempty"`
	Note     string `json:"note,omitempty"`
}

// Source is a document or uploaded file that figures come from.
type Source struct {
	ID          string    `json:"id"` // hex sha256 of Content
	FileName    string    `json:"file_name"`
	Title       string    `json:"title,omitempty"`
	Publisher   string    `json:"publisher,omitempty"`
	PublishDate string    `json:"publish_date,omitempty"` // YYYY-MM-DD when known
	URL         string    `json:"url,omitempty"`
	MediaType   string    `json:"media_type,omitempty"`
	Size        int64     `json:"size"`
	Content     []byte    `json:"-"`
	AddedAt     time.Time `json:"added_at"`
}

// Batch is one load into the warehouse: all of it lands, or none.
type Batch struct {
	ID        string    `json:"id"`
	CreatedBy string    `json:"created_by"`
	CreatedAt time.Time `json:"created_at"`
	Method    Method    `json:"method"`
	Status    string    `json:"status"` // BatchLoaded or BatchRolledBack
	Note      string    `json:"note,omitempty"`
	// Counts of the observations the batch brought, by effect.
	Total     int `json:"total"`
	New       int `json:"new"`
	Updated   int `json:"updated"`
	Unchanged int `json:"unchanged"`
	// Flagged counts the figures stored but flagged for review.
	Flagged int `json:"flagged"`
	// SourceID and FileName name the uploaded file the batch came from,
	// when it came from one file.
	SourceID string `json:"source,omitempty"`
	FileName string `json:"file_name,omitempty"`
	// RolledBackBy and RolledBackAt say who undid the batch, and when.
	RolledBackBy string     `json:"rolled_back_by,omitempty"`
	RolledBackAt *time.Time `json:"rolled_back_at,omitempty"`
}

// Batch states.
const (
	BatchLoaded     = "loaded"
	BatchRolledBack = "rolled_back"
)
