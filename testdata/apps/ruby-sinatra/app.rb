require "sinatra/base"

# A Sinatra app EB's Ruby platform serves with Puma through config.ru.
class App < Sinatra::Base
  get "/" do
    "hello from sinatra\n"
  end

  get "/health" do
    "ok\n"
  end
end
