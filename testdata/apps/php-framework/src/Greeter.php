<?php

namespace App;

final class Greeter
{
    public function greet(): string
    {
        return "hello from php " . PHP_VERSION . "\n";
    }
}
