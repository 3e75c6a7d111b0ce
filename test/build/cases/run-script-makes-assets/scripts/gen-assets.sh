mkdir -p public
echo "<h1>generated</h1>" > public/index.html
