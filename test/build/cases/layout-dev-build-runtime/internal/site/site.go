package site

import (
	"html/template"
	"path/filepath"
)

// Templates parses every page template below templates/.
func Templates() (*template.Template, error) {
	return template.ParseGlob(filepath.Join("templates", "*.gohtml"))
}
