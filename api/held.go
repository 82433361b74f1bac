package api

import (
	"crypto/rand"
	"encoding/hex"
	"sync"
	"time"
)

// heldUploads keeps a file that passed its dry run for a while, so that the
// result page can offer to import it without the user choosing the file
// again. It lives in memory: a restart only means choosing the file again.
// A file is held for its uploader alone, used once, and given up after
// heldFor or when newer files need the room (at most heldBytes in all).
type heldUploads struct {
	mu    sync.Mutex
	files map[string]heldUpload // by token
	order []string              // tokens, oldest first
	bytes int
}

type heldUpload struct {
	who   string
	file  receivedFile
	until time.Time
}

const (
	heldFor   = 30 * time.Minute
	heldBytes = 200 << 20
)

// hold keeps f for who and returns the token that takes it back; "" when
// f alone is larger than the room.
func (h *heldUploads) hold(who string, f receivedFile) string {
	if len(f.data) > heldBytes {
		return ""
	}
	var b [16]byte
	rand.Read(b[:])
	token := hex.EncodeToString(b[:])
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.files == nil {
		h.files = map[string]heldUpload{}
	}
	h.expire(time.Now())
	for h.bytes+len(f.data) > heldBytes && len(h.order) > 0 {
		h.drop(h.order[0])
	}
	h.files[token] = heldUpload{who: who, file: f, until: time.Now().Add(heldFor)}
	h.order = append(h.order, token)
	h.bytes += len(f.data)
	return token
}

// take gives back, once, the file held under token for who.
func (h *heldUploads) take(who, token string) (receivedFile, bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.expire(time.Now())
	u, ok := h.files[token]
	if !ok || u.who != who {
		return receivedFile{}, false
	}
	h.drop(token)
	return u.file, true
}

func (h *heldUploads) expire(now time.Time) {
	for len(h.order) > 0 && now.After(h.files[h.order[0]].until) {
		h.drop(h.order[0])
	}
}

func (h *heldUploads) drop(token string) {
	if u, ok := h.files[token]; ok {
		h.bytes -= len(u.file.data)
		delete(h.files, token)
	}
	for i, t := range h.order {
		if t == token {
			h.order = append(h.order[:i], h.order[i+1:]...)
			break
		}
	}
}
