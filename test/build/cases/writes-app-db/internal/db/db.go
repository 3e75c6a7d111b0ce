// Package db is a tiny append-only record file with a fixed header.
package db

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"os"
)

var magic = []byte("NOTESDB format 1\x00")

type DB struct{ f *os.File }

func Open(path string) (*DB, error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, err
	}
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if st.Size() == 0 {
		if _, err := f.Write(magic); err != nil {
			return nil, err
		}
	} else {
		hdr := make([]byte, len(magic))
		if _, err := io.ReadFull(f, hdr); err != nil || !bytes.Equal(hdr, magic) {
			return nil, errors.New("not a notes database")
		}
	}
	return &DB{f: f}, nil
}

func (d *DB) Append(rec string) error {
	if _, err := d.f.Seek(0, io.SeekEnd); err != nil {
		return err
	}
	var n [4]byte
	binary.BigEndian.PutUint32(n[:], uint32(len(rec)))
	if _, err := d.f.Write(append(n[:], rec...)); err != nil {
		return err
	}
	return d.f.Sync()
}

func (d *DB) All() ([]string, error) {
	if _, err := d.f.Seek(int64(len(magic)), io.SeekStart); err != nil {
		return nil, err
	}
	var out []string
	for {
		var n [4]byte
		if _, err := io.ReadFull(d.f, n[:]); err == io.EOF {
			return out, nil
		} else if err != nil {
			return nil, err
		}
		buf := make([]byte, binary.BigEndian.Uint32(n[:]))
		if _, err := io.ReadFull(d.f, buf); err != nil {
			return nil, err
		}
		out = append(out, string(buf))
	}
}

func (d *DB) Close() error { return d.f.Close() }
