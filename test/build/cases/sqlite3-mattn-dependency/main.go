package main

import (
	"database/sql"
	"fmt"
	"log"
	"os"

	_ "github.com/mattn/go-sqlite3"
)

func main() {
	if err := os.MkdirAll("data", 0o755); err != nil {
		log.Fatal(err)
	}
	db, err := sql.Open("sqlite3", "data/todo.db")
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`CREATE TABLE IF NOT EXISTS todos (id INTEGER PRIMARY KEY, title TEXT, done BOOLEAN)`); err != nil {
		log.Fatal(err)
	}
	var n int
	if err := db.QueryRow(`SELECT COUNT(*) FROM todos`).Scan(&n); err != nil {
		log.Fatal(err)
	}
	fmt.Println("todos:", n)
}
