require_relative "boot"
require "rails"
require "action_controller/railtie"
require "sprockets/railtie"

module Shop
  class Application < Rails::Application
    config.load_defaults 7.0
    config.eager_load = true
  end
end
