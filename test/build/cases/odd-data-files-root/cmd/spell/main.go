package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"strings"
)

func lines(name string) []string {
	f, err := os.Open(name)
	if err != nil {
		fmt.Printf("missing %s\n", name)
		os.Exit(1)
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if t := strings.TrimSpace(sc.Text()); t != "" {
			out = append(out, t)
		}
	}
	return out
}

func main() {
	dict := lines("dictionary")
	known := map[string]bool{}
	for _, w := range dict {
		known[strings.ToLower(w)] = true
	}
	words := lines("words.txt")
	var unknown []string
	for _, w := range words {
		if !known[strings.ToLower(w)] {
			unknown = append(unknown, w)
		}
	}
	fmt.Printf("dictionary: %d entries; words.txt: %d words, unknown: %s\n", len(dict), len(words), strings.Join(unknown, ","))

	var schedule struct {
		Jobs []struct {
			Name string `json:"name"`
			Cron string `json:"cron"`
		} `json:"jobs"`
	}
	b, err := os.ReadFile("schedule.json")
	if err != nil {
		fmt.Println("missing schedule.json")
		os.Exit(1)
	}
	if err := json.Unmarshal(b, &schedule); err != nil {
		fmt.Println("schedule.json:", err)
		os.Exit(1)
	}
	for _, j := range schedule.Jobs {
		fmt.Printf("job %s at %q\n", j.Name, j.Cron)
	}

	var geo struct {
		Type     string `json:"type"`
		Features []struct {
			Properties struct {
				Name string `json:"name"`
			} `json:"properties"`
			Geometry struct {
				Coordinates []float64 `json:"coordinates"`
			} `json:"geometry"`
		} `json:"features"`
	}
	b, err = os.ReadFile("cities.geojson")
	if err != nil {
		fmt.Println("missing cities.geojson")
		os.Exit(1)
	}
	if err := json.Unmarshal(b, &geo); err != nil {
		fmt.Println("cities.geojson:", err)
		os.Exit(1)
	}
	for _, f := range geo.Features {
		fmt.Printf("city %s %.2f,%.2f\n", f.Properties.Name, f.Geometry.Coordinates[1], f.Geometry.Coordinates[0])
	}
}
