package api_test

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"
)

func multipartFiles(t *testing.T, fields map[string]string, files map[string][]byte) (string, []byte) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	for name, data := range files {
		w, err := mw.CreateFormFile("files", name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(data)
	}
	mw.Close()
	return mw.FormDataContentType(), buf.Bytes()
}

func TestUploadReviewAndChartAReport(t *testing.T) {
	srv, _ := newServer(t)
	report, err := os.ReadFile("../ingest/testdata/corpus/zhangjiagang-jiaoyu-2019.txt")
	if err != nil {
		t.Fatal(err)
	}
	// Re-encode as GB18030 and wrap as HTML, as many bureau sites publish it.
	gb, err := simplifiedchinese.GB18030.NewEncoder().Bytes([]byte(`<html><head><meta charset="gbk"><title>报告</title></head><body><p>` +
		strings.ReplaceAll(string(report), "\n", "</p><p>") + `</p></body></html>`))
	if err != nil {
		t.Fatal(err)
	}
	ct, body := multipartFiles(t, nil, map[string][]byte{"zjg-2019.html": gb})
	res, _ := post(t, srv, "/documents", ct, body)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("upload = %d", res.StatusCode)
	}
	docURL := res.Header.Get("Location")
	res, page := get(t, srv, docURL)
	if res.StatusCode != 200 {
		t.Fatalf("review page = %d", res.StatusCode)
	}
	for _, want := range []string{"张家港市教育局", "开展法治宣讲活动", "143场", "待审核", `class="fig pending"`} {
		if !strings.Contains(page, want) {
			t.Errorf("review page lacks %q", want)
		}
	}
	// Pending figures never reach the figures view as confirmed.
	if _, figs := get(t, srv, "/figures?org=320582-jyj&year=2019&indicator=law_publicity_participants"); strings.Count(figs, "计入图表") != 1 {
		t.Fatalf("before review only the bundled manual figure counts")
	}
	// Find the figure quoting 23712人次 and accept it.
	m := regexp.MustCompile(`<tr id="f(\d+)"[^>]*>(?s:.*?)23712人次`).FindStringSubmatch(page)
	if m == nil {
		t.Fatal("no row for 23712人次")
	}
	form := url.Values{"action": {"accept"}, "ids": {m[1]}}
	res, msg := post(t, srv, docURL+"/review", "application/x-www-form-urlencoded", []byte(form.Encode()))
	// The bundled manual figure of the same report (different sha256: this
	// file is GB18030 HTML) does not conflict; the figure is confirmed.
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("accept = %d: %s", res.StatusCode, msg)
	}
	_, page = get(t, srv, docURL)
	if !strings.Contains(page, `class="fig confirmed"`) {
		t.Error("accepted figure not shown as confirmed")
	}
	_, figs := get(t, srv, "/figures?org=320582-jyj&year=2019&indicator=law_publicity_participants")
	if !strings.Contains(figs, "报告抽取") || !strings.Contains(figs, "23712人次") {
		t.Error("the accepted figure is not listed with its method and quote")
	}

	// Uploading the same file again stores nothing new.
	res, _ = post(t, srv, "/documents", ct, body)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("second upload = %d", res.StatusCode)
	}
	_, list := get(t, srv, "/documents")
	if strings.Count(list, "zjg-2019.html") != 1 {
		t.Errorf("the same report is listed %d times", strings.Count(list, "zjg-2019.html"))
	}
}

func TestUploadRefusesEmptyAndBinaryFilesWholly(t *testing.T) {
	srv, _ := newServer(t)
	ct, body := multipartFiles(t, nil, map[string][]byte{"good.txt": []byte("张家港市教育局2020年度法治政府建设情况报告\n开展法治宣讲活动12场。"),
		"empty.txt": {}})
	res, page := post(t, srv, "/documents", ct, body)
	if res.StatusCode != http.StatusBadRequest || !strings.Contains(page, "empty.txt") {
		t.Fatalf("upload with an empty file = %d", res.StatusCode)
	}
	if _, list := get(t, srv, "/documents"); strings.Contains(list, "good.txt") {
		t.Error("a refused upload stored its good file")
	}
}
