<?php
// Front controller: everything outside public/ stays outside the document root.
require __DIR__ . '/../vendor/autoload.php';

echo (new App\Greeter())->greet();
