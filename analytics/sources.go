package analytics

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"fazhi"
)

// Source returns a stored document or file, with its original bytes.
func (w *Warehouse) Source(ctx context.Context, id string) (fazhi.Source, error) {
	var s fazhi.Source
	var title, publisher, date, url, media sql.NullString
	err := w.db.QueryRowContext(ctx, `SELECT id, file_name, title, publisher, strftime(publish_date, '%Y-%m-%d'),
			url, media_type, size, content, added_at
		FROM sources WHERE id = ?`, id).
		Scan(&s.ID, &s.FileName, &title, &publisher, &date, &url, &media, &s.Size, &s.Content, &s.AddedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return s, fazhi.Errorf(fazhi.ENOTFOUND, "没有编号为 %s 的来源文件", id)
	} else if err != nil {
		return s, fmt.Errorf("find source %s: %w", id, err)
	}
	s.Title, s.Publisher, s.PublishDate, s.URL, s.MediaType = title.String, publisher.String, date.String, url.String, media.String
	return s, nil
}
